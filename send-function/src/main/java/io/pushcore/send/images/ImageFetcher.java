package io.pushcore.send.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

import io.pushcore.net.ForbiddenDestinationException;
import io.pushcore.net.UnresolvedHostException;

/**
 * Downloads one image URL for the pipeline: http/https only, every host (first and each redirect target) resolved
 * once through a {@link CheckedResolver} and connected to at those addresses, TLS verified against the real host
 * name, at most {@code maxRedirects} redirects, a byte cap enforced while streaming and a deadline for the whole
 * fetch. Thread-safe; one instance per function instance (it pools connections).
 */
public final class ImageFetcher implements AutoCloseable {

    /**
     * @param connectTimeout per connection attempt
     * @param readTimeout    longest silence while waiting for bytes
     * @param totalTimeout   the whole fetch, redirects included (bounds a server trickling bytes); a hard bound
     */
    public record Limits(Duration connectTimeout, Duration readTimeout, Duration totalTimeout, long maxBytes,
            int maxRedirects) {
    }

    private static final String USER_AGENT = "pushcore-images/1";

    private final Limits limits;
    private final CloseableHttpClient client;
    // Cuts a fetch off at its deadline even while a read is blocked, so the total timeout is a hard bound.
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("image-fetch-deadlines").factory());

    public ImageFetcher(CheckedResolver resolver, Limits limits) {
        this.limits = limits;
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new OnlyCheckedAddresses(resolver))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout(limits.connectTimeout()))
                        .setSocketTimeout(timeout(limits.readTimeout()))
                        .build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(timeout(limits.readTimeout())).build())
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(8)
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout(limits.connectTimeout()))
                        .setResponseTimeout(timeout(limits.readTimeout()))
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .setProtocolUpgradeEnabled(false)
                        .build())
                // Redirects are followed here, one checked hop at a time; compression stays off so the byte cap
                // counts what the server sends and no decompression bomb can hide behind it.
                .disableRedirectHandling()
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(USER_AGENT)
                .build();
    }

    /**
     * The body of {@code url} after at most {@code maxRedirects} redirects.
     *
     * @throws ImageRefusedException with a client-facing reason for every failure
     */
    public byte[] fetch(String url) {
        URI current = parse(url);
        long deadline = System.nanoTime() + limits.totalTimeout().toNanos();
        for (int redirects = 0;; redirects++) {
            checkUrl(current);
            HttpGet get = new HttpGet(current);
            get.setHeader("Accept", "image/png,image/jpeg,image/gif,image/webp;q=0.9,image/*;q=0.5");
            URI next;
            ScheduledFuture<?> cutOff = deadlines.schedule(get::cancel, Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            try (ClassicHttpResponse response = client.executeOpen(null, get, null)) {
                int status = response.getCode();
                if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                    get.cancel();
                    if (redirects >= limits.maxRedirects()) {
                        throw new ImageRefusedException("was redirected more than " + limits.maxRedirects() + " times");
                    }
                    next = location(current, response.getFirstHeader("Location"));
                } else if (status != 200) {
                    get.cancel();
                    throw new ImageRefusedException("could not be downloaded: the server answered HTTP " + status);
                } else {
                    return body(get, response.getEntity(), deadline);
                }
            } catch (ImageRefusedException e) {
                get.cancel();
                throw e;
            } catch (IOException | RuntimeException e) {
                get.cancel();
                throw System.nanoTime() - deadline >= 0 ? tooSlow() : refusal(e);
            } finally {
                cutOff.cancel(false);
            }
            if (System.nanoTime() > deadline) {
                throw tooSlow();
            }
            current = next;
        }
    }

    private byte[] body(HttpGet get, HttpEntity entity, long deadline) throws IOException {
        if (entity == null) {
            throw new ImageRefusedException("could not be downloaded: the response has no body");
        }
        if (entity.getContentLength() > limits.maxBytes()) {
            get.cancel();
            throw tooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                (int) Math.min(Math.max(entity.getContentLength(), 8192), limits.maxBytes()));
        byte[] buffer = new byte[16384];
        try (InputStream in = entity.getContent()) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                if (out.size() + n > limits.maxBytes()) {
                    // Cancel first: closing the stream normally would read the rest to reuse the connection.
                    get.cancel();
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
                if (System.nanoTime() > deadline) {
                    get.cancel();
                    throw tooSlow();
                }
            }
        }
        return out.toByteArray();
    }

    private static URI parse(String url) {
        try {
            return new URI(url.trim());
        } catch (Exception e) {
            throw new ImageRefusedException("is not a valid URL");
        }
    }

    private static void checkUrl(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ImageRefusedException("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ImageRefusedException("is not a valid URL: it has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ImageRefusedException("must not contain user info");
        }
    }

    private static URI location(URI current, Header location) {
        if (location == null || location.getValue().isBlank()) {
            throw new ImageRefusedException("could not be downloaded: a redirect without a Location");
        }
        try {
            return current.resolve(new URI(location.getValue().trim()));
        } catch (Exception e) {
            throw new ImageRefusedException("could not be downloaded: a redirect to an invalid URL");
        }
    }

    private ImageRefusedException tooLarge() {
        return new ImageRefusedException("is larger than " + humanBytes(limits.maxBytes()));
    }

    private ImageRefusedException tooSlow() {
        return new ImageRefusedException("could not be downloaded within " + limits.totalTimeout().toMillis() + " ms");
    }

    private static ImageRefusedException refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RefusedHostException refused) {
                return new ImageRefusedException(refused.unresolved
                        ? "could not be downloaded: its host does not resolve"
                        : "is not allowed: " + refused.getMessage());
            }
            if (t instanceof ForbiddenDestinationException forbidden) {
                return new ImageRefusedException("is not allowed: " + forbidden.getMessage());
            }
        }
        if (failure instanceof InterruptedIOException) {
            return new ImageRefusedException("could not be downloaded: the server did not answer in time");
        }
        return new ImageRefusedException("could not be downloaded: the connection failed");
    }

    static String humanBytes(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes + " bytes";
    }

    private static Timeout timeout(Duration duration) {
        return Timeout.of(duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
    }

    /** HttpClient's DNS hook: the only way the client learns addresses, so it can only connect to checked ones. */
    private record OnlyCheckedAddresses(CheckedResolver resolver) implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            try {
                return resolver.resolve(host).toArray(InetAddress[]::new);
            } catch (ForbiddenDestinationException e) {
                throw new RefusedHostException(e.getMessage(), e instanceof UnresolvedHostException);
            }
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return host;
        }
    }

    /** Carries the policy's reason through HttpClient, which only lets I/O exceptions out of DNS resolution. */
    private static final class RefusedHostException extends UnknownHostException {
        final boolean unresolved;

        RefusedHostException(String reason, boolean unresolved) {
            super(reason);
            this.unresolved = unresolved;
        }
    }
}
