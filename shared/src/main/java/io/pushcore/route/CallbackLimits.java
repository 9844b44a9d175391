package io.pushcore.route;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The bounds of a bucket's callback ({@code callbackConfig.payload}), in one place: send-function refuses a bucket
 * whose callback breaks them, and aggregator-function can apply the same bounds to a route it reads. They keep every
 * route small (at most about 10 KB of callback whatever tenants configure) and every callback sendable: header names
 * are HTTP tokens, header values RFC 9110 field values (what {@code java.net.http} accepts), and a secret is a
 * Standard Webhooks key, which is what the official Standard Webhooks libraries verify. Stateless and thread-safe.
 */
public final class CallbackLimits {

    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_HEADERS = 20;
    public static final int MAX_HEADER_NAME_LENGTH = 64;
    public static final int MAX_HEADER_VALUE_LENGTH = 1024;
    /** Names and values of all headers together, in UTF-8 bytes. */
    public static final int MAX_HEADER_BYTES = 8192;
    public static final String SECRET_PREFIX = "whsec_";
    public static final int MIN_SECRET_BYTES = 24;
    public static final int MAX_SECRET_BYTES = 64;

    private static final String PATH = "callbackConfig.payload.";
    // Standard base64 with padding of MAX_SECRET_BYTES bytes.
    private static final int MAX_SECRET_LENGTH = SECRET_PREFIX.length() + (MAX_SECRET_BYTES + 2) / 3 * 4;

    private CallbackLimits() {
    }

    /** {@link #violations(String, Map, String)} of an http callback; none for {@link Callback.None}. */
    public static List<String> violations(Callback callback) {
        return switch (callback) {
            case Callback.None none -> List.of();
            case Callback.Http http -> violations(http.url().toString(), http.headers(), http.secret());
        };
    }

    /**
     * What breaks the bounds, as {@code field: reason} with the field named as in the API
     * ({@code callbackConfig.payload.url}, {@code ...headers}, {@code ...headers.<name>}, {@code ...secret}); empty
     * when the callback is within them. Null headers or secret mean none. Reasons never quote a header value or the
     * secret (both are the customer's secrets).
     */
    public static List<String> violations(String url, Map<String, String> headers, String secret) {
        List<String> errors = new ArrayList<>();
        if (url != null && url.length() > MAX_URL_LENGTH) {
            errors.add(PATH + "url: must be at most " + MAX_URL_LENGTH + " characters");
        }
        if (headers != null) {
            headerViolations(headers, errors);
        }
        if (secret != null) {
            String problem = secretProblem(secret);
            if (problem != null) {
                errors.add(PATH + "secret: " + problem);
            }
        }
        return errors;
    }

    private static void headerViolations(Map<String, String> headers, List<String> errors) {
        if (headers.size() > MAX_HEADERS) {
            errors.add(PATH + "headers: must be at most " + MAX_HEADERS + " headers");
            return;
        }
        int bytes = 0;
        boolean badName = false;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String value = header.getValue();
            if (!isToken(name) || name.length() > MAX_HEADER_NAME_LENGTH) {
                badName = true;
                continue;
            }
            if (value == null) {
                errors.add(PATH + "headers." + name + ": must be a string");
                continue;
            }
            if (value.length() > MAX_HEADER_VALUE_LENGTH) {
                errors.add(PATH + "headers." + name + ": must be at most " + MAX_HEADER_VALUE_LENGTH + " characters");
            } else if (!isFieldValue(value)) {
                errors.add(PATH + "headers." + name + ": must not contain control characters (CR, LF, NUL…) or "
                        + "characters outside ISO-8859-1");
            }
            bytes += name.length() + value.getBytes(StandardCharsets.UTF_8).length;
        }
        if (badName) {
            // Not echoed: an invalid name may be a value pasted into the wrong place.
            errors.add(PATH + "headers: every name must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~) of "
                    + "at most " + MAX_HEADER_NAME_LENGTH + " characters");
        }
        if (bytes > MAX_HEADER_BYTES) {
            errors.add(PATH + "headers: names and values together must be at most " + MAX_HEADER_BYTES + " bytes");
        }
    }

    /** Why {@code secret} is not a Standard Webhooks key, or null when it is. */
    private static String secretProblem(String secret) {
        String expected = "must be a Standard Webhooks key: " + SECRET_PREFIX + " followed by the standard base64 "
                + "(with padding) of " + MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES + " random bytes";
        if (!secret.startsWith(SECRET_PREFIX) || secret.length() > MAX_SECRET_LENGTH) {
            return expected;
        }
        String encoded = secret.substring(SECRET_PREFIX.length());
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return expected;
        }
        // Only the canonical form: other libraries decode unpadded or non-canonical base64 differently, or not at all.
        if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES
                || !Base64.getEncoder().encodeToString(key).equals(encoded)) {
            return expected;
        }
        return null;
    }

    /** RFC 9110 token: one or more tchar. */
    private static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 field value characters: visible ASCII, space, tab and obs-text (0x80-0xFF). */
    private static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c == '\t' || (c >= 0x20 && c < 0x7F) || (c >= 0x80 && c <= 0xFF))) {
                return false;
            }
        }
        return true;
    }
}
