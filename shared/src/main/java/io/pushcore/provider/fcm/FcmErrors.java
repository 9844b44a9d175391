package io.pushcore.provider.fcm;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.auth.Retryable;
import com.google.firebase.ErrorCode;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.MessagingErrorCode;

import io.pushcore.provider.Delivery;

/**
 * The one table from FCM HTTP v1 errors to {@link Delivery} outcomes (README "Outcomes and errors"; Google's
 * {@code ErrorCode} reference). FCM counts client errors against the project's quota, so only the transient
 * ones come back {@link Delivery.Deferred}.
 */
public final class FcmErrors {

    private FcmErrors() {
    }

    /** Maps one failed send. */
    public static Delivery toDelivery(FirebaseMessagingException e) {
        String described = describe(e);
        MessagingErrorCode fcm = e.getMessagingErrorCode();
        if (fcm != null) {
            return switch (fcm) {
                case UNREGISTERED -> rejected(io.pushcore.provider.ErrorCode.UNREGISTERED, described);
                case INVALID_ARGUMENT -> isAboutTheToken(e)
                        ? rejected(io.pushcore.provider.ErrorCode.UNREGISTERED, described)
                        : rejected(io.pushcore.provider.ErrorCode.PROVIDER_REJECTED, described);
                case SENDER_ID_MISMATCH, THIRD_PARTY_AUTH_ERROR -> credential(described);
                case QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL -> new Delivery.Deferred(described, retryAfter(e));
            };
        }
        Retryable auth = authFailure(e);
        if (auth != null) {
            return auth.isRetryable()
                    ? new Delivery.Deferred("the Google token endpoint failed for now", null)
                    : credential("the Google token endpoint refused the service account");
        }
        ErrorCode code = e.getErrorCode();
        return switch (code) {
            case UNAUTHENTICATED, PERMISSION_DENIED -> credential(described);
            case RESOURCE_EXHAUSTED, UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED, ABORTED, CANCELLED ->
                    new Delivery.Deferred(described, retryAfter(e));
            case INVALID_ARGUMENT -> isAboutTheToken(e)
                    ? rejected(io.pushcore.provider.ErrorCode.UNREGISTERED, described)
                    : rejected(io.pushcore.provider.ErrorCode.PROVIDER_REJECTED, described);
            case NOT_FOUND -> rejected(io.pushcore.provider.ErrorCode.PROVIDER_REJECTED, described);
            default -> isTransient(e) ? new Delivery.Deferred(described, retryAfter(e))
                    : rejected(io.pushcore.provider.ErrorCode.PROVIDER_REJECTED, described);
        };
    }

    // FCM answers INVALID_ARGUMENT both for a malformed registration token and for a bad message; only the
    // former means the receiver should be dropped.
    private static boolean isAboutTheToken(FirebaseMessagingException e) {
        String text = (String.valueOf(e.getMessage()) + " "
                + (e.getHttpResponse() == null ? "" : e.getHttpResponse().getContent())).toLowerCase(Locale.ROOT);
        return text.contains("registration token") || text.contains("message.token");
    }

    // No HTTP answer at all (connection refused, reset, read timeout) or a 5xx.
    private static boolean isTransient(FirebaseMessagingException e) {
        IncomingHttpResponse r = e.getHttpResponse();
        if (r == null) {
            return e.getCause() instanceof IOException;
        }
        return r.getStatusCode() == 429 || r.getStatusCode() >= 500;
    }

    private static Retryable authFailure(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof Retryable r && t instanceof IOException) {
                return r;
            }
        }
        return null;
    }

    private static Delivery rejected(io.pushcore.provider.ErrorCode code, String reason) {
        return new Delivery.Rejected(code, reason);
    }

    private static Delivery credential(String described) {
        return new Delivery.Rejected(io.pushcore.provider.ErrorCode.CREDENTIAL_REJECTED,
                "FCM refused the credential: " + described);
    }

    private static String describe(FirebaseMessagingException e) {
        String code = e.getMessagingErrorCode() != null ? e.getMessagingErrorCode().name() : e.getErrorCode().name();
        IncomingHttpResponse r = e.getHttpResponse();
        String status = r == null ? "FCM" : "FCM " + r.getStatusCode();
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return status + " " + code + message;
    }

    /** The Retry-After hint (seconds or HTTP date), or null. */
    static Duration retryAfter(FirebaseMessagingException e) {
        IncomingHttpResponse r = e.getHttpResponse();
        if (r == null) {
            return null;
        }
        Object value = null;
        for (Map.Entry<String, Object> h : r.getHeaders().entrySet()) {
            if (h.getKey().equalsIgnoreCase("retry-after")) {
                value = h.getValue();
            }
        }
        if (value instanceof List<?> list) {
            value = list.isEmpty() ? null : list.getFirst();
        }
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(Instant.now(),
                        ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
