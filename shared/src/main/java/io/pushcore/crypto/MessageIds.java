package io.pushcore.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and verifies message ids that prove they were issued for their context (SPEC §4), so client events can be
 * checked without a lookup.
 *
 * <p>
 * A message id is an RFC 9562 version 8 UUID (variant {@code 10}). The most significant 64 bits hold 60 random
 * bits around the version nibble (bits 48-51 = {@code 1000}); the least significant 64 bits hold the variant
 * ({@code 10}) followed by the first 62 bits of HMAC-SHA256(key, contextId as 16 big-endian bytes || the most
 * significant 64 bits of the message id). Guessing a valid id for a context therefore takes about 2^62 tries.
 * Thread-safe.
 */
public final class MessageIds {

    private static final String ALGORITHM = "HmacSHA256";
    private static final long VERSION_MASK = 0xF000L;
    private static final long VERSION_8 = 0x8000L;
    private static final long VARIANT_MASK = 0xC000_0000_0000_0000L;
    private static final long VARIANT_10 = 0x8000_0000_0000_0000L;

    private final Mac prototype;
    private final SecureRandom random = new SecureRandom();

    /** From a configured base64 key of at least 32 bytes; a bad one fails naming {@code setting} only. */
    public static MessageIds fromConfig(String base64, String setting) {
        return new MessageIds(ConfiguredKeys.decode(base64, setting, 32, Integer.MAX_VALUE));
    }

    /** @throws IllegalArgumentException when the key is shorter than 32 bytes */
    public MessageIds(byte[] key) {
        if (key == null || key.length < 32) {
            throw new IllegalArgumentException("message id key: must be at least 32 bytes");
        }
        try {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(key, ALGORITHM));
            // Fail now, not on the first request, if this provider's Mac cannot be cloned.
            prototype.clone();
        } catch (GeneralSecurityException | CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public UUID mint(UUID contextId) {
        long msb = (random.nextLong() & ~VERSION_MASK) | VERSION_8;
        return new UUID(msb, VARIANT_10 | mac(contextId, msb));
    }

    /** True when {@code messageId} was minted by {@link #mint} for this context under this key. */
    public boolean verify(UUID contextId, UUID messageId) {
        if (contextId == null || messageId == null || messageId.version() != 8 || messageId.variant() != 2) {
            return false;
        }
        long expected = VARIANT_10 | mac(contextId, messageId.getMostSignificantBits());
        return MessageDigest.isEqual(toBytes(expected), toBytes(messageId.getLeastSignificantBits()));
    }

    private long mac(UUID contextId, long msb) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        byte[] input = ByteBuffer.allocate(24)
                .putLong(contextId.getMostSignificantBits())
                .putLong(contextId.getLeastSignificantBits())
                .putLong(msb)
                .array();
        long tag = ByteBuffer.wrap(mac.doFinal(input)).getLong();
        return tag >>> 2;
    }

    private static byte[] toBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }
}
