package io.pushcore.aggregator.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.net.ForbiddenDestinationException;
import io.pushcore.net.NetworkPolicy;
import io.pushcore.net.UnresolvedHostException;
import io.pushcore.route.Callback;
import io.pushcore.webhook.WebhookSigner;

/**
 * POSTs one package to a bucket's webhook with the JDK HttpClient: the bucket's headers, JSON content type, and
 * Standard Webhooks headers ({@code webhook-id} always, signatures when the bucket has a secret). Each attempt has a
 * hard deadline covering connect, headers and body (the JDK's request timeout stops counting once headers arrive);
 * the URL is checked against the SSRF rules first. The response body is read and dropped, at most
 * {@link #MAX_BODY_BYTES}.
 */
@ApplicationScoped
public class WebhookDeliverer {

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "date", "via", "warning");

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final HttpClient client;
    private final NetworkPolicy policy;
    private final Clock clock;
    private final Duration timeout;

    public WebhookDeliverer(NetworkPolicy policy, Clock clock, AggregatorConfig config) {
        this.policy = policy;
        this.clock = clock;
        this.timeout = config.webhook().timeout();
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.webhook().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /**
     * One attempt, ended by {@code deadline} ({@link System#nanoTime()}) or {@code aggregator.webhook.timeout} from
     * now, whichever comes first, whatever the webhook does (stalls before or after its headers, drips its body).
     */
    public DeliveryOutcome deliver(Callback.Http webhook, String webhookId, byte[] body, long deadline) {
        deadline = Math.min(deadline, System.nanoTime() + timeout.toNanos());
        URI url = webhook.url();
        try {
            policy.check(url);
        } catch (UnresolvedHostException e) {
            return new DeliveryOutcome.Failed("host does not resolve", Optional.empty());
        } catch (ForbiddenDestinationException e) {
            return new DeliveryOutcome.Forbidden(e.getMessage());
        }
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(url).timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        } catch (IllegalArgumentException e) {
            return new DeliveryOutcome.Malformed("URL cannot be requested");
        }
        boolean contentType = false;
        for (Map.Entry<String, String> header : webhook.headers().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (RESTRICTED.contains(name) || name.startsWith("webhook-")) {
                continue;
            }
            contentType |= name.equals("content-type");
            try {
                request.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                // A header the client cannot send is skipped; its name or value is the customer's secret.
            }
        }
        if (!contentType) {
            request.header("content-type", "application/json");
        }
        request.header("user-agent", "pushcore-webhook/1");
        request.header(WebhookSigner.ID_HEADER, webhookId);
        long timestamp = clock.instant().getEpochSecond();
        request.header(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp));
        if (webhook.secret() != null) {
            WebhookSigner signer;
            try {
                signer = new WebhookSigner(webhook.secret());
            } catch (IllegalArgumentException e) {
                return new DeliveryOutcome.Malformed("the webhook secret is malformed");
            }
            request.header(WebhookSigner.SIGNATURE_HEADER, signer.sign(webhookId, timestamp, body));
        }
        return exchange(request.build(), deadline);
    }

    /**
     * Sends the request and waits for the whole exchange until {@code deadline} ({@link System#nanoTime()}); then
     * cancels it, which closes its connection. A status that arrived in time counts even when the body did not
     * end: the webhook answered, what follows is discarded.
     */
    private DeliveryOutcome exchange(HttpRequest request, long deadline) {
        AtomicReference<HttpResponse.ResponseInfo> answered = new AtomicReference<>();
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request, info -> {
            answered.set(info);
            return new CappedDiscard();
        });
        try {
            return outcome(response.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .statusCode(), response.resultNow().headers());
        } catch (TimeoutException e) {
            response.cancel(true);
            HttpResponse.ResponseInfo info = answered.get();
            return info == null ? new DeliveryOutcome.Failed("timed out", Optional.empty())
                    : outcome(info.statusCode(), info.headers());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) {
                return new DeliveryOutcome.Malformed("URL cannot be requested");
            }
            HttpResponse.ResponseInfo info = answered.get();
            if (info != null) {
                return outcome(info.statusCode(), info.headers());
            }
            return new DeliveryOutcome.Failed(cause instanceof HttpTimeoutException ? "timed out"
                    : "connection failed: " + cause.getClass().getSimpleName(), Optional.empty());
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            return new DeliveryOutcome.Failed("interrupted", Optional.empty());
        }
    }

    private DeliveryOutcome outcome(int status, HttpHeaders headers) {
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome.Delivered(status);
        }
        if (status == 410) {
            return new DeliveryOutcome.Gone();
        }
        return new DeliveryOutcome.Failed("status " + status,
                retryAfter(headers.firstValue("retry-after").orElse(null)));
    }

    /**
     * Reads and drops a response body, and stops reading (cancelling the rest) after {@link #MAX_BODY_BYTES}: no
     * webhook answer is kept in memory, and a long one costs no more than a short one.
     */
    private static final class CappedDiscard implements HttpResponse.BodySubscriber<Void> {

        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long bytes;

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            for (ByteBuffer buffer : item) {
                bytes += buffer.remaining();
            }
            if (bytes > MAX_BODY_BYTES && !done.isDone()) {
                subscription.cancel();
                done.complete(null);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            done.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }

    /** Retry-After in seconds or as an HTTP date. */
    Optional<Duration> retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(text))));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
