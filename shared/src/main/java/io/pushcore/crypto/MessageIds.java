package io.pushcore.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and verifies message ids that prove they were issued for their context (README "Key rotation" has the bit layout), so client events can be
 * checked without a lookup. Each id names the key of its MAC, so ids minted before a key rotation verify as long as
 * their key is in the {@link KeyRing}.
 *
 * <p>
 * A message id is an RFC 9562 version 8 UUID (variant {@code 10}). Bit layout, most significant first:
 * <ul>
 * <li>bits 0-3 (the first hex digit of the text form): the id of the key in the ring, 0 to 15;</li>
 * <li>bits 4-47 and 52-63: 56 random bits; bits 48-51: the version, {@code 1000};</li>
 * <li>bits 64-65: the variant, {@code 10}; bits 66-127: the first 62 bits of HMAC-SHA256(key, contextId as 16
 * big-endian bytes || the most significant 64 bits of the message id).</li>
 * </ul>
 * The MAC covers the key id, so changing it breaks the id. An id naming a key that is not in the ring (retired, or
 * never there) is refused like a forged one.
 *
 * <p>
 * Ids minted before keys had ids carry random bits where the key id now is; they were minted under what is now key
 * 0. So while key 0 is in the ring, an id whose named key does not verify it is also checked against key 0: a
 * guessed id then has two chances of 2^-62, so guessing a valid id for a context takes about 2^61 tries, and 2^62
 * once key 0 is retired (before key ids it was 2^62). With 56 random bits instead of 60, two ids of one context
 * collide after about 2^28 ids (the MAC then differs between contexts). Thread-safe.
 */
public final class MessageIds {

    private static final String ALGORITHM = "HmacSHA256";
    private static final long VERSION_MASK = 0xF000L;
    private static final long VERSION_8 = 0x8000L;
    private static final long VARIANT_MASK = 0xC000_0000_0000_0000L;
    private static final long VARIANT_10 = 0x8000_0000_0000_0000L;
    private static final int KEY_ID_SHIFT = 60;
    /** Smallest key length. */
    public static final int MIN_KEY_BYTES = 32;

    private final Mac[] prototypes = new Mac[KeyRing.MAX_ID + 1];
    private final int activeId;
    private final SecureRandom random = new SecureRandom();

    /** From a configured base64 key of at least 32 bytes (key 0); a bad one fails naming {@code setting} only. */
    public static MessageIds fromConfig(String base64, String setting) {
        return new MessageIds(ConfiguredKeys.decode(base64, setting, MIN_KEY_BYTES, Integer.MAX_VALUE));
    }

    /** A ring of one: {@code key} as key 0. @throws IllegalArgumentException when it is shorter than 32 bytes */
    public MessageIds(byte[] key) {
        this(KeyRing.of(key));
    }

    /** @throws IllegalArgumentException when a key of the ring is shorter than 32 bytes */
    public MessageIds(KeyRing ring) {
        for (int id : ring.ids()) {
            byte[] key = ring.key(id).orElseThrow();
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("message id key " + id + ": must be at least 32 bytes");
            }
            try {
                Mac prototype = Mac.getInstance(ALGORITHM);
                prototype.init(new SecretKeySpec(key, ALGORITHM));
                // Fail now, not on the first request, if this provider's Mac cannot be cloned.
                prototype.clone();
                prototypes[id] = prototype;
            } catch (GeneralSecurityException | CloneNotSupportedException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }
        this.activeId = ring.activeId();
    }

    /** The id of the key {@link #mint} uses. */
    public int activeKeyId() {
        return activeId;
    }

    /** An id for {@code contextId} naming the active key and MACed with it. */
    public UUID mint(UUID contextId) {
        long msb = ((long) activeId << KEY_ID_SHIFT) | (random.nextLong() >>> 4 & ~VERSION_MASK) | VERSION_8;
        return new UUID(msb, VARIANT_10 | mac(prototypes[activeId], contextId, msb));
    }

    /** The key id {@code messageId} names: its first hex digit. */
    public static int keyId(UUID messageId) {
        return (int) (messageId.getMostSignificantBits() >>> KEY_ID_SHIFT);
    }

    /**
     * True when {@code messageId} was minted by {@link #mint} for this context under a key of the ring: the key it
     * names, or key 0 for ids minted before keys had ids.
     */
    public boolean verify(UUID contextId, UUID messageId) {
        if (contextId == null || messageId == null || messageId.version() != 8 || messageId.variant() != 2) {
            return false;
        }
        int named = keyId(messageId);
        boolean valid = prototypes[named] != null && matches(prototypes[named], contextId, messageId);
        if (!valid && named != 0 && prototypes[0] != null) {
            valid = matches(prototypes[0], contextId, messageId);
        }
        return valid;
    }

    private static boolean matches(Mac prototype, UUID contextId, UUID messageId) {
        long expected = VARIANT_10 | mac(prototype, contextId, messageId.getMostSignificantBits());
        return MessageDigest.isEqual(toBytes(expected), toBytes(messageId.getLeastSignificantBits()));
    }

    private static long mac(Mac prototype, UUID contextId, long msb) {
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
