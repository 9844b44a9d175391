package io.pushcore.send.images;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.pushcore.model.Action;
import io.pushcore.model.DataContent;
import io.pushcore.send.ApiProblem;

/**
 * Re-hosts the images of a data context (README "Images"): each distinct URL of {@code icon}, {@code smallIcon},
 * {@code image} and the actions' {@code icon}s is downloaded once, all concurrently; each (URL, variant) is resized
 * once and stored in the CDN bucket; the returned content carries the CDN URLs instead. Any unusable image makes the
 * whole context a 400 that names every bad field. Decoding is bounded to {@code decodeConcurrency} images at once per
 * instance, since a large picture can take a few hundred megabytes while decoded. A warm instance remembers the CDN
 * URL of each (URL, variant) for {@code cacheTtl}, so a run of one-shot sends with the same icon downloads it once;
 * an origin that changes the picture behind the same URL is seen after that. A URL that already is this CDN's URL
 * of the field's variant (a client passing back what it was given) is kept as it is.
 */
public final class ImagePipeline {

    private static final Logger LOG = Logger.getLogger(ImagePipeline.class);

    private final ImageFetcher fetcher;
    private final ImageResizer resizer;
    private final ImageStore store;
    private final String cdnBaseUrl;
    private final Semaphore decoding;
    private final long cacheTtlNanos;
    private final Pattern ownUrls;
    private final Map<Slot, Published> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Slot, Published> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    private static final int CACHE_ENTRIES = 1000;

    /** @param cacheTtl how long a warm instance reuses a published image for the same URL; zero disables that */
    public ImagePipeline(ImageFetcher fetcher, ImageResizer resizer, ImageStore store, String cdnBaseUrl,
            int decodeConcurrency, Duration cacheTtl) {
        this.fetcher = fetcher;
        this.resizer = resizer;
        this.store = store;
        this.cdnBaseUrl = cdnBaseUrl.endsWith("/") ? cdnBaseUrl : cdnBaseUrl + "/";
        this.decoding = new Semaphore(decodeConcurrency);
        this.cacheTtlNanos = cacheTtl.toNanos();
        this.ownUrls = Pattern.compile(
                Pattern.quote(this.cdnBaseUrl) + "images/([0-9a-f]{32})/[0-9a-f]{64}-([a-z-]+)\\.(png|jpg)");
    }

    private record Published(String cdnUrl, long expiresAtNanos) {
    }

    private record Field(String name, String url, ImageVariant variant) {
    }

    private record Slot(String tenantKey, String url, ImageVariant variant) {
    }

    /**
     * {@code content} with CDN URLs in place of the image URLs; blank or absent fields stay as they are.
     *
     * @param tenantKey whose CDN images these become ({@code io.pushcore.send.storage.TenantKey}); only this
     *        tenant's own CDN URLs are kept as they are
     * @param path prefix of the field names in errors ({@code ""} or {@code "metadata."})
     * @throws ApiProblem.Invalid naming each image that could not be used and why
     */
    public DataContent rehost(String tenantKey, DataContent content, String path) {
        List<Field> fields = fields(tenantKey, content);
        if (fields.isEmpty()) {
            return content;
        }
        long started = System.nanoTime();
        Map<String, Future<byte[]>> downloads = new LinkedHashMap<>();
        Map<Slot, Future<String>> results = new LinkedHashMap<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Field field : fields) {
                Slot slot = new Slot(tenantKey, field.url(), field.variant());
                if (results.containsKey(slot)) {
                    continue;
                }
                String known = recentlyPublished(slot);
                if (known != null) {
                    results.put(slot, CompletableFuture.completedFuture(known));
                    continue;
                }
                Future<byte[]> download = downloads.computeIfAbsent(field.url(),
                        url -> executor.submit(() -> fetcher.fetch(url)));
                results.put(slot, executor.submit(() -> remember(slot, publish(tenantKey, download.get(),
                        slot.variant()))));
            }
        }
        Map<String, String> cdnUrls = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (Field field : fields) {
            try {
                cdnUrls.put(field.name(), results.get(new Slot(tenantKey, field.url(), field.variant())).get());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof ExecutionException nested ? nested.getCause() : e.getCause();
                if (cause instanceof ImageRefusedException refused) {
                    errors.add(path + field.name() + ": " + refused.getMessage());
                } else if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                } else {
                    throw new IllegalStateException("image pipeline failed", cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while processing images", e);
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem.Invalid("image could not be used", errors);
        }
        LOG.debugf("re-hosted %d image field(s) (%d download(s)) in %d ms", fields.size(), downloads.size(),
                (System.nanoTime() - started) / 1_000_000);
        return withUrls(content, cdnUrls);
    }

    private String recentlyPublished(Slot slot) {
        if (cacheTtlNanos <= 0) {
            return null;
        }
        synchronized (recent) {
            Published published = recent.get(slot);
            return published != null && System.nanoTime() - published.expiresAtNanos() < 0 ? published.cdnUrl()
                    : null;
        }
    }

    private String remember(Slot slot, String cdnUrl) {
        if (cacheTtlNanos > 0) {
            synchronized (recent) {
                recent.put(slot, new Published(cdnUrl, System.nanoTime() + cacheTtlNanos));
            }
        }
        return cdnUrl;
    }

    private String publish(String tenantKey, byte[] bytes, ImageVariant variant) throws InterruptedException {
        ProcessedImage image;
        decoding.acquire();
        try {
            image = resizer.resize(bytes, variant);
        } finally {
            decoding.release();
        }
        return cdnBaseUrl + store.store(tenantKey, image).key();
    }

    private List<Field> fields(String tenantKey, DataContent content) {
        List<Field> fields = new ArrayList<>();
        add(tenantKey, fields, "icon", content.icon(), ImageVariant.ICON);
        add(tenantKey, fields, "smallIcon", content.smallIcon(), ImageVariant.SMALL_ICON);
        add(tenantKey, fields, "image", content.image(), ImageVariant.IMAGE);
        for (int i = 0; i < content.actions().size(); i++) {
            add(tenantKey, fields, "actions[" + i + "].icon", content.actions().get(i).icon(), ImageVariant.ICON);
        }
        return fields;
    }

    /**
     * Adds the field unless it is empty or already this tenant's CDN image of its variant; another tenant's CDN URL
     * is downloaded and stored again, so erasing that tenant never breaks this one's contexts.
     */
    private void add(String tenantKey, List<Field> fields, String name, String url, ImageVariant variant) {
        if (url == null || url.isBlank()) {
            return;
        }
        Matcher own = ownUrls.matcher(url.trim());
        if (own.matches() && own.group(1).equals(tenantKey) && own.group(2).equals(variant.keySuffix())) {
            return;
        }
        fields.add(new Field(name, url.trim(), variant));
    }

    private static DataContent withUrls(DataContent c, Map<String, String> urls) {
        List<Action> actions = new ArrayList<>(c.actions().size());
        for (int i = 0; i < c.actions().size(); i++) {
            Action a = c.actions().get(i);
            actions.add(new Action(a.action(), a.title(), urls.getOrDefault("actions[" + i + "].icon", a.icon()),
                    a.behaviour()));
        }
        return new DataContent(c.title(), c.body(), c.subtitle(), urls.getOrDefault("icon", c.icon()),
                urls.getOrDefault("smallIcon", c.smallIcon()), urls.getOrDefault("image", c.image()), c.badge(),
                c.badgeMobile(), c.channelName(), c.behaviour(), actions, c.externalData(), c.web(), c.sounds());
    }
}
