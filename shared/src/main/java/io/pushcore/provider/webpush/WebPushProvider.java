package io.pushcore.provider.webpush;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import io.pushcore.model.Address;
import io.pushcore.model.Push;
import io.pushcore.model.WebPushSubscription;
import io.pushcore.net.ForbiddenDestinationException;
import io.pushcore.net.UnresolvedHostException;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.PushProvider;

/**
 * Sends pushes to browsers' push services (RFC 8030) with one VAPID credential: builds the CORE web payload,
 * encrypts it for the subscription (RFC 8291), signs with a cached VAPID token (RFC 8292) and makes one POST
 * through the shared {@link WebPushTransport}. Thread-safe; closing it leaves the shared transport open.
 */
public final class WebPushProvider implements PushProvider {

    /** RFC 8030 §5.2 sets no maximum; 28 days is what FCM and the web-push libraries cap TTL to. */
    static final long MAX_TTL_SECONDS = 2_419_200;
    private static final int EXCERPT_CHARS = 200;

    private static final WebPushEncryption ENCRYPTION = new WebPushEncryption();

    private final VapidTokens tokens;
    private final WebPushTransport transport;
    private final Clock clock;

    public WebPushProvider(VapidKeys keys, String subject, WebPushTransport transport) {
        this(keys, subject, transport, Clock.systemUTC());
    }

    /** As {@link #WebPushProvider(VapidKeys, String, WebPushTransport)}, with the clock for TTL and VAPID expiry. */
    public WebPushProvider(VapidKeys keys, String subject, WebPushTransport transport, Clock clock) {
        this.tokens = new VapidTokens(keys, subject, clock);
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = clock;
    }

    @Override
    public Delivery send(Push push, Address address) {
        if (!(address instanceof WebPushSubscription subscription)) {
            return new Delivery.Rejected(ErrorCode.INVALID_SUBSCRIPTION, "not a web push subscription");
        }
        URI endpoint = subscription.endpoint();
        byte[] payload = WebPushPayload.json(push, endpoint);
        if (payload.length > WebPushEncryption.MAX_PLAINTEXT_BYTES) {
            return new Delivery.Rejected(ErrorCode.PAYLOAD_TOO_LARGE, "payload is " + payload.length
                    + " bytes, web push allows " + WebPushEncryption.MAX_PLAINTEXT_BYTES);
        }
        byte[] body;
        try {
            body = ENCRYPTION.encrypt(payload, subscription.p256dh(), subscription.auth());
        } catch (IllegalArgumentException e) {
            return new Delivery.Rejected(ErrorCode.INVALID_SUBSCRIPTION, e.getMessage());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("TTL", Long.toString(ttlSeconds(push)));
        headers.put("Content-Encoding", "aes128gcm");
        headers.put("Content-Type", "application/octet-stream");
        headers.put("Urgency", URGENCY);
        headers.put("Topic", topic(push));
        headers.put("Authorization", tokens.authorization(endpoint));
        try {
            // The transport applies the network policy to the endpoint, once, before anything is sent.
            WebPushTransport.Response response = transport.post(endpoint, headers, body);
            return outcome(response.status(), response.body(), response.location(), response.retryAfter(), clock);
        } catch (UnresolvedHostException e) {
            return new Delivery.Deferred("push service host does not resolve", null);
        } catch (ForbiddenDestinationException e) {
            return new Delivery.Rejected(ErrorCode.FORBIDDEN_ENDPOINT, e.getMessage());
        } catch (TimeoutException e) {
            return new Delivery.Deferred("push service did not answer within " + transport.attemptTimeout(), null);
        } catch (WebPushTransport.ResponseTooLarge e) {
            return new Delivery.Deferred(e.getMessage(), null);
        } catch (IOException e) {
            return new Delivery.Deferred("push service unreachable (" + e.getClass().getSimpleName() + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Deferred("interrupted before the push service answered", null);
        }
    }

    /** RFC 8030 / autopush status codes to outcomes, in one place. */
    static Delivery outcome(int status, String body, String location, String retryAfter, Clock clock) {
        return switch (status) {
            case 200, 201, 202 -> new Delivery.Accepted(location);
            case 404, 410 -> new Delivery.Rejected(ErrorCode.UNREGISTERED,
                    "push service answered " + status + ": subscription expired or unsubscribed");
            case 413 -> new Delivery.Rejected(ErrorCode.PAYLOAD_TOO_LARGE, "push service answered 413");
            case 401, 403 -> new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED, describe(status, body));
            case 429 -> new Delivery.Deferred(describe(status, body), retryAfter(retryAfter, clock));
            default -> {
                if (status >= 500) {
                    yield new Delivery.Deferred(describe(status, body), retryAfter(retryAfter, clock));
                }
                yield new Delivery.Rejected(ErrorCode.PROVIDER_REJECTED, describe(status, body));
            }
        };
    }

    /** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
    static Duration retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /**
     * RFC 8030 §5.4: a push service replaces a stored, undelivered message with a newer one of the same Topic. The
     * message id (32 hex digits: within the 32 base64url characters allowed) makes a retry of an attempt that timed
     * out replace its first copy wherever that copy still waits, instead of adding a duplicate; distinct messages
     * never collapse. A copy already delivered cannot be recalled, so a device may still see a retry twice.
     */
    static String topic(Push push) {
        return push.messageId().toString().replace("-", "");
    }

    private long ttlSeconds(Push push) {
        long seconds = Duration.between(clock.instant(), push.expiresAt()).getSeconds();
        return Math.clamp(seconds, 0, MAX_TTL_SECONDS);
    }

    /**
     * RFC 8030 §5.3: "low" may be held until the device is on power and Wi-Fi, which could outlast a context's
     * TTL and delay the delivered event the customer waits for; "high" is meant for calls and chat. CORE pushes,
     * silent ones included, carry content the customer wants now, so both use "normal".
     */
    private static final String URGENCY = "normal";

    private static String describe(int status, String body) {
        String excerpt = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        if (excerpt.length() > EXCERPT_CHARS) {
            excerpt = excerpt.substring(0, EXCERPT_CHARS) + "…";
        }
        return excerpt.isEmpty() ? "push service answered " + status
                : "push service answered " + status + ": " + excerpt;
    }

    @Override
    public void close() {
        // The transport is shared by all providers of the function and closed by its owner.
    }
}
