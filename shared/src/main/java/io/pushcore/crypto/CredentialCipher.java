package io.pushcore.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM envelope encryption for provider credentials at rest (SPEC §5). Each {@link #seal} draws a fresh
 * 256-bit data key, encrypts the plaintext with it, and wraps the data key under the master key.
 *
 * <p>
 * Sealed format, version 1: {@code 0x01 || wrapNonce(12) || wrappedDataKey(32 + 16 tag) || dataNonce(12) ||
 * ciphertext + tag(16)}. The wrap authenticates the version byte; the data encryption authenticates the version
 * byte and the caller's associated data (e.g. bucket and credential id), so a sealed blob cannot be moved to
 * another record. A later version byte can name a KMS-wrapped data key. Thread-safe.
 */
public final class CredentialCipher {

    private static final byte VERSION_1 = 0x01;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int WRAPPED_KEY_BYTES = KEY_BYTES + TAG_BITS / 8;
    private static final int HEADER_BYTES = 1 + NONCE_BYTES + WRAPPED_KEY_BYTES + NONCE_BYTES;

    private final SecretKeySpec masterKey;
    private final SecureRandom random = new SecureRandom();

    /** From a configured base64 key of exactly 32 bytes; a bad one fails naming {@code setting} only. */
    public static CredentialCipher fromConfig(String base64, String setting) {
        return new CredentialCipher(ConfiguredKeys.decode(base64, setting, KEY_BYTES, KEY_BYTES));
    }

    /** @throws IllegalArgumentException unless the master key is exactly 32 bytes */
    public CredentialCipher(byte[] masterKey) {
        if (masterKey == null || masterKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("credential master key: must be exactly 32 bytes");
        }
        this.masterKey = new SecretKeySpec(masterKey, "AES");
    }

    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        byte[] dataKey = new byte[KEY_BYTES];
        byte[] wrapNonce = new byte[NONCE_BYTES];
        byte[] dataNonce = new byte[NONCE_BYTES];
        random.nextBytes(dataKey);
        random.nextBytes(wrapNonce);
        random.nextBytes(dataNonce);
        try {
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, masterKey, wrapNonce, new byte[] { VERSION_1 }, dataKey);
            byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), dataNonce,
                    dataAad(associatedData), plaintext);
            return ByteBuffer.allocate(HEADER_BYTES + ciphertext.length)
                    .put(VERSION_1).put(wrapNonce).put(wrapped).put(dataNonce).put(ciphertext)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** @throws CredentialCipherException when the blob was tampered with or the key or associated data differ */
    public byte[] open(byte[] sealed, byte[] associatedData) {
        if (sealed == null || sealed.length < HEADER_BYTES + TAG_BITS / 8) {
            throw new CredentialCipherException("sealed credential is truncated");
        }
        if (sealed[0] != VERSION_1) {
            throw new CredentialCipherException("sealed credential has unknown format version " + sealed[0]);
        }
        ByteBuffer in = ByteBuffer.wrap(sealed, 1, sealed.length - 1);
        byte[] wrapNonce = take(in, NONCE_BYTES);
        byte[] wrapped = take(in, WRAPPED_KEY_BYTES);
        byte[] dataNonce = take(in, NONCE_BYTES);
        byte[] ciphertext = take(in, in.remaining());
        byte[] dataKey = null;
        try {
            dataKey = gcm(Cipher.DECRYPT_MODE, masterKey, wrapNonce, new byte[] { VERSION_1 }, wrapped);
            return gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), dataNonce, dataAad(associatedData),
                    ciphertext);
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

    private static byte[] dataAad(byte[] associatedData) {
        byte[] ad = associatedData == null ? new byte[0] : associatedData;
        byte[] aad = new byte[1 + ad.length];
        aad[0] = VERSION_1;
        System.arraycopy(ad, 0, aad, 1, ad.length);
        return aad;
    }

    private static byte[] take(ByteBuffer in, int length) {
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }
}
