package io.pushcore.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.model.Content;
import io.pushcore.model.DataContent;
import io.pushcore.model.DisplayRules;
import io.pushcore.model.Event;
import io.pushcore.model.Push;
import io.pushcore.model.RawContent;
import io.pushcore.model.RawRules;
import io.pushcore.model.SilentContent;
import io.pushcore.provider.apns.ApnsPayload;
import io.pushcore.provider.fcm.FcmPayload;
import io.pushcore.provider.hms.HmsPayload;
import io.pushcore.provider.webpush.WebPushEncryption;
import io.pushcore.provider.webpush.WebPushPayload;
import io.pushcore.route.ContextRoute;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.credential.Credential;
import io.pushcore.send.images.ImagePipeline;
import io.pushcore.send.storage.StateStore;
import io.pushcore.send.storage.StoredContext;
import io.pushcore.send.storage.TenantKey;

/**
 * Creates contexts (display rules, expiry and payload size checked now for every provider the bucket can send with,
 * not at send time) and finds them in a bucket.
 */
@ApplicationScoped
public class Contexts {

    /**
     * The longest {@code ttl}, and how far ahead {@code expiresAt} may lie: 28 days, FCM's maximum time to live. A
     * context never outlives its bucket anyway; the bound keeps every client-supplied time computable.
     */
    public static final Duration MAX_TTL = Duration.ofDays(28);

    // Three UTF-8 bytes per character: the worst case for any foreignId of the maximum length that needs no escaping.
    private static final String WORST_FOREIGN_ID = "\u20ac".repeat(Event.MAX_FOREIGN_ID_LENGTH);

    private final StateStore store;
    private final Clock clock;
    private final Duration defaultTtl;
    private final Duration retention;
    private final ImagePipeline images;
    // Contexts never change once stored: a warm instance reads each from S3 once (its expiry is checked on each use).
    private final BoundedCache<UUID, StoredContext> cache;

    Contexts(StateStore store, Clock clock, SendConfig config, ImagePipeline images) {
        this.store = store;
        this.cache = new BoundedCache<>(config.cache().maxBuckets() * 4, evicted -> {
        });
        this.clock = clock;
        this.defaultTtl = config.context().defaultTtl();
        this.retention = config.events().retention();
        this.images = images;
    }

    /**
     * @param ttlSeconds each push's time to live from its send (null: {@code send.context.default-ttl}); a raw
     *        context's {@code common.ttl}, as is {@code expiresAt} its {@code common.expiresAt}
     * @param expiresAt until when the context may be sent (null: its bucket's end)
     * @param path prefix naming the context's fields in errors: {@code ""} for the context endpoints,
     *        {@code "metadata."} for the one-shot sends
     */
    public PushContext create(Bucket bucket, Content content, Long ttlSeconds, Instant expiresAt, String path) {
        // Settled before any image is downloaded: a refused context leaves nothing behind in the CDN bucket.
        // A raw context's lifetime is common.ttl and common.expiresAt, and its errors say so.
        String lifetime = content instanceof RawContent ? path + "common." : path;
        Instant expiry = expiry(bucket, ttlSeconds, expiresAt, lifetime);
        Duration ttl = ttlSeconds != null ? Duration.ofSeconds(ttlSeconds) : defaultTtl;
        List<String> problems = switch (content) {
            case DataContent data -> DisplayRules.problems(data);
            case RawContent raw -> RawRules.problems(raw);
            case SilentContent silent -> List.of();
        };
        if (!problems.isEmpty()) {
            throw new ApiProblem.Invalid("invalid context", problems.stream().map(p -> path + p).toList());
        }
        if (content instanceof DataContent data) {
            content = images.rehost(TenantKey.of(bucket.tenant()), data, path);
        }
        checkFits(bucket, content, expiry, path);
        PushContext context = new PushContext(UUID.randomUUID(), bucket.id(), bucket.tenant(), content, expiry, ttl);
        store.putContext(new StoredContext(context.id(), bucket.id(), bucket.tenant(), kind(content), content, expiry,
                ttl.toSeconds()));
        // Kept from now, as the state bucket's S3 lifecycle counts from the object's creation (see io.pushcore.route).
        store.putRoute(new ContextRoute(context.id(), bucket.id(), clock.instant().plus(retention)));
        return context;
    }

    private static String kind(Content content) {
        return switch (content) {
            case DataContent data -> "data";
            case SilentContent silent -> "silent";
            case RawContent raw -> "raw";
        };
    }

    /**
     * Until when the context may be sent: {@code expiresAt}, or the bucket's end when that is earlier or
     * {@code expiresAt} is absent. {@code ttl} only bounds each push (checked here, applied per send).
     */
    private Instant expiry(Bucket bucket, Long ttlSeconds, Instant expiresAt, String path) {
        Instant now = clock.instant();
        List<String> errors = new ArrayList<>();
        if (ttlSeconds != null && ttlSeconds > MAX_TTL.toSeconds()) {
            errors.add(path + "ttl: must be at most " + MAX_TTL.toSeconds() + " seconds (28 days)");
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            errors.add(path + "expiresAt: " + expiresAt + " is in the past");
        } else if (expiresAt != null && expiresAt.isAfter(now.plus(MAX_TTL))) {
            errors.add(path + "expiresAt: must be at most 28 days ahead");
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem.Invalid("invalid context", errors);
        }
        return expiresAt == null || expiresAt.isAfter(bucket.expiresAt()) ? bucket.expiresAt() : expiresAt;
    }

    /** A context of this bucket; one of another bucket (or tenant) is reported exactly like a missing one. */
    public PushContext find(Bucket bucket, String contextIdText) {
        UUID contextId = Buckets.parseId(contextIdText);
        StoredContext stored = contextId == null ? null : cache.get(contextId);
        if (stored == null && contextId != null) {
            stored = store.findContext(bucket.id(), contextId).orElse(null);
            if (stored != null) {
                cache.put(contextId, stored);
            }
        }
        if (stored == null || !stored.bucketId().equals(bucket.id()) || !stored.tenant().equals(bucket.tenant())) {
            throw new ApiProblem.NotFound("context not found",
                    List.of("contextId: no context " + contextIdText + " in bucket " + bucket.id()));
        }
        if (!clock.instant().isBefore(stored.expiresAt())) {
            throw new ApiProblem.Expired("context expired", List.of("contextId: context " + contextId
                    + " expired at " + stored.expiresAt() + "; create a new context"));
        }
        return new PushContext(stored.contextId(), stored.bucketId(), stored.tenant(), stored.content(),
                stored.expiresAt(), stored.ttlSeconds() == null ? null : Duration.ofSeconds(stored.ttlSeconds()));
    }

    /** Each provider the bucket has credentials for must be able to carry the content. */
    private static void checkFits(Bucket bucket, Content content, Instant expiry, String path) {
        String field = path.isEmpty() ? "context" : path.substring(0, path.length() - 1);
        List<String> errors = new ArrayList<>();
        for (String provider : bucket.credentials().stream().map(Contexts::provider).filter(p -> p != null)
                .distinct().sorted().toList()) {
            switch (provider) {
                case "webpush" -> {
                    Push worstCase = new Push(UUID.randomUUID(), UUID.randomUUID(), WORST_FOREIGN_ID, content, expiry);
                    for (RawContent.Platform platform : webPlatforms(content)) {
                        int size = WebPushPayload.json(worstCase, platform).length;
                        if (size > WebPushEncryption.MAX_PLAINTEXT_BYTES) {
                            errors.add(field + ": the web push payload" + (platform != null
                                    ? " for " + platform.field() : content instanceof RawContent ? " for common" : "")
                                    + " would be " + size + " bytes (with a " + Event.MAX_FOREIGN_ID_LENGTH
                                    + "-character foreignId), over the " + WebPushEncryption.MAX_PLAINTEXT_BYTES
                                    + "-byte limit; " + hint(content));
                        }
                    }
                }
                case "apns" -> {
                    for (ApnsPayload.Target target : apnsTargets(bucket, content)) {
                        fits(ApnsPayload.misfit(content, target), field, hint(content), errors);
                    }
                }
                case "hms" -> fits(HmsPayload.misfit(content), field, hint(content), errors);
                default -> fits(FcmPayload.misfit(content), field, hint(content), errors);
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem.Invalid("context payload too large", errors);
        }
    }

    /** The web push payloads a context has: one for any push service, and a raw context's per platform. */
    private static List<RawContent.Platform> webPlatforms(Content content) {
        List<RawContent.Platform> platforms = new ArrayList<>();
        platforms.add(null);
        if (content instanceof RawContent raw) {
            for (RawContent.Platform platform : RawContent.Platform.values()) {
                if (platform.isWebPush() && raw.object(platform) != null) {
                    platforms.add(platform);
                }
            }
        }
        return platforms;
    }

    /**
     * The APNs payloads to check: the app's; for a raw context, whose {@code safari} object differs, also legacy
     * Safari's when one of the bucket's APNs credentials has a {@code websitePushId}.
     */
    private static List<ApnsPayload.Target> apnsTargets(Bucket bucket, Content content) {
        boolean safari = content instanceof RawContent && bucket.credentials().stream()
                .anyMatch(c -> c instanceof Credential.Apns apns && apns.credentials().websitePushId() != null);
        return safari ? List.of(ApnsPayload.Target.IOS, ApnsPayload.Target.SAFARI) : List.of(ApnsPayload.Target.IOS);
    }

    private static String hint(Content content) {
        return content instanceof RawContent ? "shorten the raw objects"
                : "shorten title, body, actions or externalData";
    }

    /** The payload format a credential sends, or null when it sends nothing. */
    private static String provider(Credential credential) {
        return switch (credential) {
            case Credential.Vapid v -> "webpush";
            case Credential.Apns a -> "apns";
            case Credential.Fcm f -> "fcm";
            case Credential.Hms h -> "hms";
            case Credential.FcmLegacy legacy -> null;
            case Credential.Unusable unusable -> null;
        };
    }

    /** Adds {@code misfit} (a provider's "the APNs payload would be N bytes; ...", or null) to the errors. */
    private static void fits(String misfit, String field, String hint, List<String> errors) {
        if (misfit != null) {
            errors.add(field + ": " + misfit + "; " + hint);
        }
    }
}
