package io.pushcore.model;

import java.net.URI;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A browser's push subscription (the {@code PushSubscription} JSON): the push service endpoint, the user agent's
 * P-256 public key and its 16-byte auth secret (RFC 8291 §3).
 */
public record WebPushSubscription(URI endpoint, byte[] p256dh, byte[] auth) implements Address {

    public WebPushSubscription {
        Objects.requireNonNull(endpoint, "endpoint");
        if (p256dh == null || p256dh.length != 65 || p256dh[0] != 0x04) {
            throw new IllegalArgumentException("p256dh: must be an uncompressed P-256 public key (65 bytes)");
        }
        if (auth == null || auth.length != 16) {
            throw new IllegalArgumentException("auth: must be a 16-byte secret");
        }
        p256dh = p256dh.clone();
        auth = auth.clone();
    }

    /**
     * Parses the strings a browser hands out (base64url, padding optional).
     *
     * @throws IllegalArgumentException naming the field ({@code endpoint}, {@code p256dh} or {@code auth})
     */
    public static WebPushSubscription parse(String endpoint, String p256dh, String auth) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("endpoint: is required for a web push receiver");
        }
        URI uri;
        try {
            uri = URI.create(endpoint.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("endpoint: is not a valid URL");
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))) {
            throw new IllegalArgumentException("endpoint: must be an absolute http(s) URL");
        }
        return new WebPushSubscription(uri, decode("p256dh", p256dh), decode("auth", auth));
    }

    private static byte[] decode(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": is required for a web push receiver");
        }
        try {
            String b64 = value.trim().replace('+', '-').replace('/', '_');
            int pad = b64.indexOf('=');
            return Base64.getUrlDecoder().decode(pad < 0 ? b64 : b64.substring(0, pad));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": is not base64url");
        }
    }

    @Override
    public byte[] p256dh() {
        return p256dh.clone();
    }

    @Override
    public byte[] auth() {
        return auth.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebPushSubscription s && endpoint.equals(s.endpoint) && Arrays.equals(p256dh, s.p256dh)
                && Arrays.equals(auth, s.auth);
    }

    @Override
    public int hashCode() {
        return endpoint.hashCode() * 31 + Arrays.hashCode(p256dh);
    }

    @Override
    public String toString() {
        // The keys are personal data; the endpoint's path identifies the subscriber too.
        return "WebPushSubscription[" + endpoint.getScheme() + "://" + endpoint.getHost() + "/…]";
    }
}
