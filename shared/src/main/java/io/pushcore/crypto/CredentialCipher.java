package io.pushcore.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.OptionalInt;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM envelope encryption for provider credentials and webhook callbacks at rest (README "Key rotation"). Each
 * {@link #seal} draws a fresh 256-bit data key, encrypts the plaintext with it, and wraps the data key under the
 * ring's active master key; {@link #open} unwraps with whichever key of the {@link KeyRing} the record names, so
 * records sealed before a rotation open as long as their key is in the ring.
 *
 * <p>
 * Sealed format, version 2 (written): {@code 0x02 || keyId(1) || wrapNonce(12) || wrappedDataKey(32 + 16 tag) ||
 * dataNonce(12) || ciphertext + tag(16)}. The wrap authenticates the version byte and the key id; the data
 * encryption authenticates them and the caller's associated data (e.g. bucket and credential id), so a sealed blob
 * cannot be moved to another record. Version 1 (read only, written before keys had ids) is the same without the
 * key id byte, authenticating the version byte alone; it was sealed under what is now key 0. A record whose key is
 * not in the ring fails with {@link RetiredKeyException}. A later version byte can name a KMS-wrapped data key.
 * Thread-safe.
 */
public final class CredentialCipher {

    private static final byte VERSION_1 = 0x01;
    private static final byte VERSION_2 = 0x02;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int WRAPPED_KEY_BYTES = KEY_BYTES + TAG_BITS / 8;
    /** Bytes after the version (and key id) byte(s) up to the ciphertext. */
    private static final int BODY_HEADER_BYTES = NONCE_BYTES + WRAPPED_KEY_BYTES + NONCE_BYTES;
    /** Master keys are AES-256 keys. */
    public static final int MASTER_KEY_BYTES = KEY_BYTES;

    private final SecretKeySpec[] masterKeys = new SecretKeySpec[KeyRing.MAX_ID + 1];
    private final int activeId;
    private final SecureRandom random = new SecureRandom();

    /** From a configured base64 key of exactly 32 bytes (key 0); a bad one fails naming {@code setting} only. */
    public static CredentialCipher fromConfig(String base64, String setting) {
        return new CredentialCipher(ConfiguredKeys.decode(base64, setting, KEY_BYTES, KEY_BYTES));
    }

    /** A ring of one: {@code masterKey} as key 0. @throws IllegalArgumentException unless it is exactly 32 bytes */
    public CredentialCipher(byte[] masterKey) {
        this(KeyRing.of(masterKey));
    }

    /** @throws IllegalArgumentException unless every key of the ring is exactly 32 bytes */
    public CredentialCipher(KeyRing ring) {
        for (int id : ring.ids()) {
            byte[] key = ring.key(id).orElseThrow();
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("credential master key " + id + ": must be exactly 32 bytes");
            }
            masterKeys[id] = new SecretKeySpec(key, "AES");
        }
        this.activeId = ring.activeId();
    }

    /** The id of the key {@link #seal} uses. */
    public int activeKeyId() {
        return activeId;
    }

    /**
     * The key id a sealed record names (0 for format 1), without opening it; empty when it is no sealed record of a
     * known format. For operators and tests: which records still need an old key.
     */
    public static OptionalInt keyId(byte[] sealed) {
        if (sealed == null || sealed.length < 2) {
            return OptionalInt.empty();
        }
        return switch (sealed[0]) {
            case VERSION_1 -> OptionalInt.of(0);
            case VERSION_2 -> OptionalInt.of(sealed[1] & 0xFF);
            default -> OptionalInt.empty();
        };
    }

    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        byte[] dataKey = new byte[KEY_BYTES];
        byte[] wrapNonce = new byte[NONCE_BYTES];
        byte[] dataNonce = new byte[NONCE_BYTES];
        random.nextBytes(dataKey);
        random.nextBytes(wrapNonce);
        random.nextBytes(dataNonce);
        try {
            byte[] header = { VERSION_2, (byte) activeId };
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, masterKeys[activeId], wrapNonce, header, dataKey);
            byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), dataNonce,
                    dataAad(header, associatedData), plaintext);
            return ByteBuffer.allocate(header.length + BODY_HEADER_BYTES + ciphertext.length)
                    .put(header).put(wrapNonce).put(wrapped).put(dataNonce).put(ciphertext)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * @throws RetiredKeyException       when the record names a key that is not in the ring
     * @throws CredentialCipherException when the blob was tampered with or the key or associated data differ
     */
    public byte[] open(byte[] sealed, byte[] associatedData) {
        if (sealed == null || sealed.length < 1) {
            throw new CredentialCipherException("sealed credential is truncated");
        }
        byte[] header = switch (sealed[0]) {
            case VERSION_1 -> new byte[] { VERSION_1 };
            case VERSION_2 -> sealed.length < 2 ? null : new byte[] { VERSION_2, sealed[1] };
            default -> throw new CredentialCipherException(
                    "sealed credential has unknown format version " + sealed[0]);
        };
        if (header == null || sealed.length < header.length + BODY_HEADER_BYTES + TAG_BITS / 8) {
            throw new CredentialCipherException("sealed credential is truncated");
        }
        int keyId = header.length == 1 ? 0 : header[1] & 0xFF;
        if (keyId > KeyRing.MAX_ID) {
            throw new CredentialCipherException("sealed credential names key " + keyId + ", which no ring holds");
        }
        SecretKeySpec masterKey = masterKeys[keyId];
        if (masterKey == null) {
            throw new RetiredKeyException(keyId);
        }
        ByteBuffer in = ByteBuffer.wrap(sealed, header.length, sealed.length - header.length);
        byte[] wrapNonce = take(in, NONCE_BYTES);
        byte[] wrapped = take(in, WRAPPED_KEY_BYTES);
        byte[] dataNonce = take(in, NONCE_BYTES);
        byte[] ciphertext = take(in, in.remaining());
        byte[] dataKey = null;
        try {
            dataKey = gcm(Cipher.DECRYPT_MODE, masterKey, wrapNonce, header, wrapped);
            return gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), dataNonce,
                    dataAad(header, associatedData), ciphertext);
        } catch (GeneralSecurityException e) {
            throw new CredentialCipherException(
                    "sealed credential could not be opened: wrong key, wrong associated data or tampered");
        } finally {
            if (dataKey != null) {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
    }

    private static byte[] gcm(int mode, SecretKeySpec key, byte[] nonce, byte[] aad, byte[] input)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }

    /** The header (version, and key id from version 2 on) followed by the caller's associated data. */
    private static byte[] dataAad(byte[] header, byte[] associatedData) {
        byte[] ad = associatedData == null ? new byte[0] : associatedData;
        byte[] aad = new byte[header.length + ad.length];
        System.arraycopy(header, 0, aad, 0, header.length);
        System.arraycopy(ad, 0, aad, header.length, ad.length);
        return aad;
    }

    private static byte[] take(ByteBuffer in, int length) {
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }
}
