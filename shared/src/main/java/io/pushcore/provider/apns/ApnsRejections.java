package io.pushcore.provider.apns;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import com.eatthepath.pushy.apns.PushNotificationResponse;

import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;

/**
 * The one table from APNs answers to {@link Delivery} outcomes (README "Outcomes and errors"; Apple's
 * "Handling notification responses from APNs"). Reasons not listed fall back on the HTTP status.
 */
public final class ApnsRejections {

    private enum Outcome {
        UNREGISTERED, CREDENTIAL, TOO_LARGE, RETRY
    }

    private static final Map<String, Outcome> BY_REASON = Map.ofEntries(
            Map.entry("Unregistered", Outcome.UNREGISTERED),
            Map.entry("ExpiredToken", Outcome.UNREGISTERED),
            Map.entry("BadDeviceToken", Outcome.UNREGISTERED),
            Map.entry("DeviceTokenNotForTopic", Outcome.UNREGISTERED),
            Map.entry("InvalidProviderToken", Outcome.CREDENTIAL),
            Map.entry("ExpiredProviderToken", Outcome.CREDENTIAL),
            Map.entry("MissingProviderToken", Outcome.CREDENTIAL),
            Map.entry("BadCertificate", Outcome.CREDENTIAL),
            Map.entry("BadCertificateEnvironment", Outcome.CREDENTIAL),
            Map.entry("Forbidden", Outcome.CREDENTIAL),
            Map.entry("TopicDisallowed", Outcome.CREDENTIAL),
            Map.entry("PayloadTooLarge", Outcome.TOO_LARGE),
            Map.entry("TooManyRequests", Outcome.RETRY),
            Map.entry("TooManyProviderTokenUpdates", Outcome.RETRY),
            Map.entry("IdleTimeout", Outcome.RETRY),
            Map.entry("InternalServerError", Outcome.RETRY),
            Map.entry("ServiceUnavailable", Outcome.RETRY),
            Map.entry("Shutdown", Outcome.RETRY));

    private ApnsRejections() {
    }

    /** Maps a response APNs sent (accepted or not). */
    public static Delivery toDelivery(PushNotificationResponse<?> response) {
        if (response.isAccepted()) {
            return new Delivery.Accepted(response.getApnsId() == null ? null : response.getApnsId().toString());
        }
        return toDelivery(response.getStatusCode(), response.getRejectionReason().orElse(null),
                response.getTokenInvalidationTimestamp().map(Object::toString).orElse(null));
    }

    /** Maps a rejection by status and reason text; {@code invalidSince} is the 410 timestamp, if any. */
    public static Delivery toDelivery(int status, String reason, String invalidSince) {
        String text = reason == null ? "HTTP " + status : reason;
        String described = "APNs " + status + " " + text
                + (invalidSince == null ? "" : " (token inactive since " + invalidSince + ")");
        Outcome outcome = BY_REASON.get(reason);
        if (outcome == null) {
            outcome = status == 410 ? Outcome.UNREGISTERED
                    : status == 403 ? Outcome.CREDENTIAL
                    : status == 413 ? Outcome.TOO_LARGE
                    : status == 429 || status >= 500 ? Outcome.RETRY
                    : null;
        }
        if (outcome == null) {
            return new Delivery.Rejected(ErrorCode.PROVIDER_REJECTED, described);
        }
        return switch (outcome) {
            case UNREGISTERED -> new Delivery.Rejected(ErrorCode.UNREGISTERED, described);
            case CREDENTIAL -> new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED,
                    "APNs refused the credential: " + described);
            case TOO_LARGE -> new Delivery.Rejected(ErrorCode.PAYLOAD_TOO_LARGE, described);
            case RETRY -> new Delivery.Deferred(described, null);
        };
    }

    /** Maps a send that failed without an APNs answer (connection, TLS, timeout): always worth retrying. */
    public static Delivery toDelivery(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TimeoutException) {
            return new Delivery.Deferred("APNs did not answer in time", null);
        }
        if (t instanceof CancellationException) {
            return new Delivery.Deferred("the APNs send was cancelled", null);
        }
        String message = t.getMessage() == null ? "" : ": " + t.getMessage();
        return new Delivery.Deferred("APNs send failed (" + t.getClass().getSimpleName() + message + ")", null);
    }
}
