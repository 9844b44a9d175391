package io.pushcore.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks 1.0 symmetric signatures: {@code webhook-signature: v1,<base64 HMAC-SHA256(key,
 * "<webhook-id>.<webhook-timestamp>.<body>")>}, the timestamp in Unix seconds.
 *
 * <p>
 * The key: a secret written {@code whsec_<base64>} (the Standard Webhooks form) is keyed with the base64-decoded
 * bytes, exactly as the reference libraries do. Any other string is keyed with its UTF-8 bytes as they are, so a
 * customer-chosen password works too; note that the reference libraries would instead base64-decode a secret
 * given to them without the prefix, so customers verifying with them should configure a {@code whsec_} secret (or
 * pass {@code "whsec_" + base64(utf8(secret))} to their library). Thread-safe.
 */
public final class WebhookSigner {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    private static final String PREFIX = "whsec_";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** @throws IllegalArgumentException when the secret is empty or a {@code whsec_} secret is not base64 */
    public WebhookSigner(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("webhook secret: must not be empty");
        }
        byte[] bytes;
        if (secret.startsWith(PREFIX)) {
            try {
                bytes = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("webhook secret: text after whsec_ must be base64");
            }
            if (bytes.length == 0) {
                throw new IllegalArgumentException("webhook secret: must not be empty");
            }
        } else {
            bytes = secret.getBytes(StandardCharsets.UTF_8);
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The {@code webhook-signature} value for this id, timestamp (Unix seconds) and exact body bytes. */
    public String sign(String webhookId, long timestampSeconds, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(mac(webhookId, timestampSeconds, body));
    }

    /**
     * True when one of the space-separated signatures in {@code signatureHeader} is a valid {@code v1} signature.
     * Callers also check that the timestamp is recent (Standard Webhooks suggests 5 minutes).
     */
    public boolean verify(String webhookId, long timestampSeconds, byte[] body, String signatureHeader) {
        if (signatureHeader == null) {
            return false;
        }
        byte[] expected = mac(webhookId, timestampSeconds, body);
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (!candidate.startsWith("v1,")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(3));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return true;
            }
        }
        return false;
    }

    private byte[] mac(String webhookId, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
