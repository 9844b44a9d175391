package io.pushcore.aggregator.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;

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
 * Standard Webhooks headers ({@code webhook-id} always, signatures when the bucket has a secret). Each attempt is
 * bounded by {@code aggregator.webhook.timeout}; the URL is checked against the SSRF rules first.
 */
@ApplicationScoped
public class WebhookDeliverer {

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "date", "via", "warning");

    private final HttpClient client;
    private final NetworkPolicy policy;
    private final Clock clock;
    private final Duration timeout;

    WebhookDeliverer(NetworkPolicy policy, Clock clock, AggregatorConfig config) {
        this.policy = policy;
        this.clock = clock;
        this.timeout = config.webhook().timeout();
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.webhook().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    public DeliveryOutcome deliver(Callback.Http webhook, String webhookId, byte[] body) {
        URI url = webhook.url();
        try {
            policy.check(url);
        } catch (UnresolvedHostException e) {
            return new DeliveryOutcome.Failed("host does not resolve", Optional.empty());
        } catch (ForbiddenDestinationException e) {
            return new DeliveryOutcome.Forbidden(e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
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
                return new DeliveryOutcome.Forbidden("the webhook secret is malformed");
            }
            request.header(WebhookSigner.SIGNATURE_HEADER, signer.sign(webhookId, timestamp, body));
        }
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new DeliveryOutcome.Delivered(status);
            }
            if (status == 410) {
                return new DeliveryOutcome.Gone();
            }
            return new DeliveryOutcome.Failed("status " + status,
                    retryAfter(response.headers().firstValue("retry-after").orElse(null)));
        } catch (HttpTimeoutException e) {
            return new DeliveryOutcome.Failed("timed out", Optional.empty());
        } catch (IOException e) {
            return new DeliveryOutcome.Failed("connection failed: " + e.getClass().getSimpleName(),
                    Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryOutcome.Failed("interrupted", Optional.empty());
        } catch (IllegalArgumentException e) {
            return new DeliveryOutcome.Forbidden("URL cannot be requested");
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
