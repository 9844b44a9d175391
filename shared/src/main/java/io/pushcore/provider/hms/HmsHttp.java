package io.pushcore.provider.hms;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP exchanges of one Push Kit credential, each with a hard bound: connect timeout, a whole-exchange timeout
 * after which the exchange is cancelled, and at most {@value #MAX_BODY} bytes of response body. HTTP/2 for https
 * URLs, HTTP/1.1 for plain http (local runs); no redirects.
 */
final class HmsHttp implements AutoCloseable {

    static final int MAX_BODY = 64 * 1024;

    /** What one exchange gave. */
    sealed interface Exchange {

        record Answered(int status, String retryAfter, byte[] body) implements Exchange {
        }

        /** No answer: connection refused, reset, timed out, or an unreadable body. */
        record Failed(String reason) implements Exchange {
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    HmsHttp(Duration connectTimeout, Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Duration timeout() {
        return timeout;
    }

    /** POSTs {@code body}; {@code authorization} may be null. Never throws for what the network or server did. */
    Exchange post(URI url, String contentType, String authorization, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .version("https".equalsIgnoreCase(url.getScheme()) ? HttpClient.Version.HTTP_2
                        : HttpClient.Version.HTTP_1_1)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request.build(),
                BoundedBody.handler(MAX_BODY));
        try {
            HttpResponse<byte[]> response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Exchange.Answered(response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null), response.body());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new Exchange.Failed(url.getHost() + " did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new Exchange.Failed("interrupted while waiting for " + url.getHost());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                // The client's own request timeout (the same bound) can fire before ours: one outcome, one message.
                return new Exchange.Failed(url.getHost() + " did not answer within " + timeout.toMillis() + " ms");
            }
            return new Exchange.Failed("no answer from " + url.getHost() + " (" + cause.getClass().getSimpleName()
                    + ")");
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
