package io.pushcore.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/** Sealing under a {@link KeyRing}: seal with the old key, rotate, open; retire, refused. */
class CredentialKeyRotationTest {

    private static final byte[] A = bytes(32, 1);
    private static final byte[] B = bytes(32, 2);
    private static final byte[] SECRET = "{\"privateKey\":\"do-not-leak\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AAD = "bucket-1:cred-1".getBytes(StandardCharsets.UTF_8);

    private final KeyRing ringA = KeyRing.of(3, A);
    private final KeyRing ringAB = ringA.with(4, B).activate(4);

    @Test
    void aRecordSealedBeforeTheRotationOpensAfterItAndNewRecordsNameTheNewKey() {
        byte[] old = new CredentialCipher(ringA).seal(SECRET, AAD);
        CredentialCipher rotated = new CredentialCipher(ringAB);

        assertThat(CredentialCipher.keyId(old)).hasValue(3);
        assertThat(rotated.open(old, AAD)).isEqualTo(SECRET);
        byte[] fresh = rotated.seal(SECRET, AAD);
        assertThat(CredentialCipher.keyId(fresh)).hasValue(4);
        assertThat(rotated.activeKeyId()).isEqualTo(4);
        assertThat(rotated.open(fresh, AAD)).isEqualTo(SECRET);
    }

    @Test
    void aRingWithTheNewKeyNotYetActiveOpensWhatTheNewKeySealed() {
        // the first deploy of a rotation: every instance can open B's records before any instance seals with B
        CredentialCipher stillA = new CredentialCipher(ringA.with(4, B));
        byte[] sealedByB = new CredentialCipher(ringAB).seal(SECRET, AAD);

        assertThat(CredentialCipher.keyId(stillA.seal(SECRET, AAD))).hasValue(3);
        assertThat(stillA.open(sealedByB, AAD)).isEqualTo(SECRET);
    }

    @Test
    void aRecordWhoseKeyWasRetiredIsRefusedNamingTheKey() {
        byte[] old = new CredentialCipher(ringA).seal(SECRET, AAD);
        CredentialCipher retired = new CredentialCipher(ringAB.without(3));

        assertThatThrownBy(() -> retired.open(old, AAD)).isInstanceOf(RetiredKeyException.class)
                .hasMessage("sealed under key 3, which is not in the key ring (retired)")
                .satisfies(e -> assertThat(((RetiredKeyException) e).keyId()).isEqualTo(3));
    }

    @Test
    void theKeyIdCannotBeRewrittenToAnotherKeyOfTheRing() {
        // key 4 holding A's bytes: only the authenticated key id tells them apart
        CredentialCipher sameBytes = new CredentialCipher(KeyRing.of(3, A).with(4, A));
        byte[] sealed = sameBytes.seal(SECRET, AAD);
        sealed[1] = 4;

        assertThatThrownBy(() -> sameBytes.open(sealed, AAD)).isInstanceOf(CredentialCipherException.class)
                .isNotInstanceOf(RetiredKeyException.class);
    }

    @Test
    void formatOneRecordsFromBeforeKeyIdsOpenWithKeyZeroOnly() throws Exception {
        byte[] legacy = sealFormatOne(A, SECRET, AAD);

        assertThat(CredentialCipher.keyId(legacy)).hasValue(0);
        assertThat(new CredentialCipher(A).open(legacy, AAD)).isEqualTo(SECRET);
        assertThat(new CredentialCipher(KeyRing.of(A).with(1, B).activate(1)).open(legacy, AAD)).isEqualTo(SECRET);
        assertThatThrownBy(() -> new CredentialCipher(KeyRing.of(1, B)).open(legacy, AAD))
                .isInstanceOf(RetiredKeyException.class);
        assertThatThrownBy(() -> new CredentialCipher(KeyRing.of(B).with(1, A)).open(legacy, AAD))
                .isInstanceOf(CredentialCipherException.class).isNotInstanceOf(RetiredKeyException.class);
    }

    @Test
    void aKeyIdNoRingCanHoldIsRefusedAsTamperingNotAsRetirement() {
        byte[] sealed = new CredentialCipher(ringA).seal(SECRET, AAD);
        sealed[1] = 16;

        assertThatThrownBy(() -> new CredentialCipher(ringAB).open(sealed, AAD))
                .isInstanceOf(CredentialCipherException.class).isNotInstanceOf(RetiredKeyException.class)
                .hasMessage("sealed credential names key 16, which no ring holds");
    }

    @Test
    void everyKeyOfTheRingMustBe32Bytes() {
        assertThatThrownBy(() -> new CredentialCipher(ringA.with(5, bytes(16, 5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key 5");
    }

    /** Format 1 exactly as pushcore wrote it before key ids: 0x01 || wrapNonce || wrappedKey || dataNonce || ct. */
    private static byte[] sealFormatOne(byte[] master, byte[] plaintext, byte[] aad) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] dataKey = new byte[32];
        byte[] wrapNonce = new byte[12];
        byte[] dataNonce = new byte[12];
        random.nextBytes(dataKey);
        random.nextBytes(wrapNonce);
        random.nextBytes(dataNonce);
        byte[] wrapped = gcm(master, wrapNonce, new byte[] { 1 }, dataKey);
        byte[] dataAad = new byte[1 + aad.length];
        dataAad[0] = 1;
        System.arraycopy(aad, 0, dataAad, 1, aad.length);
        byte[] ciphertext = gcm(dataKey, dataNonce, dataAad, plaintext);
        return ByteBuffer.allocate(1 + 12 + wrapped.length + 12 + ciphertext.length).put((byte) 1).put(wrapNonce)
                .put(wrapped).put(dataNonce).put(ciphertext).array();
    }

    private static byte[] gcm(byte[] key, byte[] nonce, byte[] aad, byte[] input) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }

    private static byte[] bytes(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }
}
