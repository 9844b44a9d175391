package io.pushcore.provider.hms;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;

/**
 * The one table from Push Kit's answers to {@link Delivery} outcomes (Huawei's "Result Codes" of the server API):
 * the body's {@code code} decides, the HTTP status where there is none. Invalid tokens are {@code UNREGISTERED};
 * a refused or unauthorised app is {@code CREDENTIAL_REJECTED}; flow control (429, 503), 5xx and Push Kit's
 * internal error 81000001 are deferred with their Retry-After; other refusals are {@code PROVIDER_REJECTED}.
 */
final class HmsResults {

    static final String SUCCESS = "80000000";
    static final String PARTIAL_SUCCESS = "80100000";
    static final String INVALID_TOKENS = "80300007";
    static final String OAUTH_ERROR = "80200001";
    static final String OAUTH_TOKEN_EXPIRED = "80200003";
    static final String NO_PERMISSION = "80300002";
    static final String OAUTH_REQUEST_FAILED = "80600003";
    static final String PAYLOAD_TOO_LARGE = "80300008";
    static final String INTERNAL_ERROR = "81000001";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON = 200;

    private HmsResults() {
    }

    /** What one answer to a message for {@code tokens} means. */
    sealed interface Answer {

        /** One delivery per token, in order. */
        record PerToken(List<Delivery> deliveries) implements Answer {
        }

        /** Push Kit refused the access token (expired or revoked): get a new one and send again, once. */
        record AccessTokenRefused(String reason) implements Answer {
        }
    }

    static Answer read(int status, String retryAfter, byte[] body, List<String> tokens) {
        JsonNode root = tree(body);
        String code = root.path("code").asText("");
        String described = describe(status, code, root.path("msg").asText(""));
        if (status == 429 || status >= 500 || code.equals(INTERNAL_ERROR)) {
            return all(tokens, new Delivery.Deferred(described, retryAfter(retryAfter)));
        }
        return switch (code) {
            case SUCCESS -> all(tokens, new Delivery.Accepted(root.path("requestId").asText(null)));
            case PARTIAL_SUCCESS -> partial(root.path("msg").asText(""), tokens, root.path("requestId").asText(null));
            case INVALID_TOKENS -> all(tokens, new Delivery.Rejected(ErrorCode.UNREGISTERED,
                    "Push Kit " + code + ": the token is not valid for this app"));
            case OAUTH_ERROR, OAUTH_TOKEN_EXPIRED -> new Answer.AccessTokenRefused(described);
            case NO_PERMISSION, OAUTH_REQUEST_FAILED -> all(tokens, credentialRejected(described));
            case PAYLOAD_TOO_LARGE -> all(tokens, new Delivery.Rejected(ErrorCode.PAYLOAD_TOO_LARGE, described));
            case "" -> byStatus(status, described, tokens);
            default -> all(tokens, new Delivery.Rejected(ErrorCode.PROVIDER_REJECTED, described));
        };
    }

    static Delivery credentialRejected(String reason) {
        return new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED, "Push Kit refused the credential: " + reason);
    }

    // No result code: a gateway or a wrong pushUrl answered.
    private static Answer byStatus(int status, String described, List<String> tokens) {
        return switch (status) {
            case 401 -> new Answer.AccessTokenRefused(described);
            case 403, 404 -> all(tokens, credentialRejected(described + " (check the credential's pushUrl)"));
            default -> all(tokens, new Delivery.Rejected(ErrorCode.PROVIDER_REJECTED, described));
        };
    }

    /**
     * 80100000: {@code msg} is a JSON string naming the tokens that failed ({@code illegal_tokens}; newer answers
     * group them by reason under {@code illegalTokens}); the others were taken.
     */
    private static Answer partial(String msg, List<String> tokens, String requestId) {
        JsonNode detail = tree(msg.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Set<String> refused = new HashSet<>();
        collect(detail.path("illegal_tokens"), refused);
        collect(detail.path("illegalTokens"), refused);
        List<Delivery> deliveries = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            deliveries.add(refused.contains(token) || refused.isEmpty() && tokens.size() == 1
                    ? new Delivery.Rejected(ErrorCode.UNREGISTERED, "Push Kit " + PARTIAL_SUCCESS
                            + ": the token is not valid for this app")
                    : new Delivery.Accepted(requestId));
        }
        return new Answer.PerToken(deliveries);
    }

    private static void collect(JsonNode node, Set<String> into) {
        if (node.isTextual()) {
            into.add(node.asText());
        } else if (node.isContainerNode()) {
            node.forEach(child -> collect(child, into));
        }
    }

    private static Answer all(List<String> tokens, Delivery delivery) {
        return new Answer.PerToken(Collections.nCopies(tokens.size(), delivery));
    }

    /** {@code Push Kit 400 80100003: <msg>}; Push Kit's own text is cut short and stripped of control characters. */
    static String describe(int status, String code, String msg) {
        String text = msg.replaceAll("\\p{Cntrl}", " ").strip();
        if (text.length() > MAX_REASON) {
            text = text.substring(0, MAX_REASON) + "…";
        }
        return "Push Kit " + status + (code.isEmpty() ? "" : " " + code) + (text.isEmpty() ? "" : ": " + text);
    }

    private static JsonNode tree(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : JSON.readTree(body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    /** A Retry-After header (seconds or an HTTP date), or null. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(Instant.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
