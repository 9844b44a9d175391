package io.pushcore.send.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a tenant appears in S3 keys (token markers, the tenant's bucket index, its CDN images): the first 16 bytes of
 * the SHA-256 of its name as 32 hex characters. Tenant names may hold characters S3 keys should not, and a CDN URL
 * should not spell out which tenant it belongs to.
 */
public final class TenantKey {

    private TenantKey() {
    }

    public static String of(String tenant) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
