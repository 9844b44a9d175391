package io.pushcore.provider.webpush;

import java.util.Base64;

// TEMPORARY stand-in for helper A's shared class; deleted when main has the real one.
public record VapidKeys(byte[] publicKey, byte[] privateKey) {
    public static VapidKeys parse(String publicKey, String privateKey) {
        byte[] pub = decode("publicKey", publicKey);
        if (pub.length != 65 || pub[0] != 4) {
            throw new IllegalArgumentException("publicKey: must be an uncompressed P-256 point");
        }
        byte[] priv = decode("privateKey", privateKey);
        if (priv.length != 32) {
            throw new IllegalArgumentException("privateKey: must be 32 bytes");
        }
        return new VapidKeys(pub, priv);
    }

    private static byte[] decode(String f, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(f + ": is required");
        }
        try {
            return Base64.getUrlDecoder().decode(v.replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f + ": is not base64url");
        }
    }
}
