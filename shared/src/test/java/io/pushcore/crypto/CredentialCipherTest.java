package io.pushcore.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private static final byte[] MASTER = bytes(32, 7);
    private static final byte[] SECRET = "{\"privateKey\":\"do-not-leak\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AAD = "bucket-1/cred-1".getBytes(StandardCharsets.UTF_8);

    private final CredentialCipher cipher = new CredentialCipher(MASTER);

    @Test
    void configuredKeysFailNamingTheSettingNeverTheValue() {
        String setting = "send.security.credential-key (SEND_SECURITY_CREDENTIAL_KEY)";
        assertThatThrownBy(() -> CredentialCipher.fromConfig("not base64 at all!", setting))
                .isInstanceOf(IllegalStateException.class).hasMessage(setting + " is not valid base64");
        String short16 = Base64.getEncoder().encodeToString(bytes(16, 7));
        assertThatThrownBy(() -> CredentialCipher.fromConfig(short16, setting))
                .hasMessage(setting + " must be base64 of exactly 32 bytes").hasMessageNotContaining(short16);
        assertThatThrownBy(() -> MessageIds.fromConfig(short16, "event.security.message-id-key"))
                .hasMessage("event.security.message-id-key must be base64 of at least 32 bytes");
        String good = " " + Base64.getEncoder().encodeToString(bytes(32, 7)) + "\n";
        assertThat(CredentialCipher.fromConfig(good, setting)).isNotNull();
        assertThat(MessageIds.fromConfig(good, setting)).isNotNull();
    }

    @Test
    void opensWhatItSealed() {
        assertThat(cipher.open(cipher.seal(SECRET, AAD), AAD)).isEqualTo(SECRET);
    }

    @Test
    void sealsTheSamePlaintextDifferentlyEachTime() {
        assertThat(cipher.seal(SECRET, AAD)).isNotEqualTo(cipher.seal(SECRET, AAD));
    }

    @Test
    void writesAVersionByteFirstThenTheKeyId() {
        byte[] sealed = cipher.seal(SECRET, AAD);

        assertThat(sealed[0]).isEqualTo((byte) 2);
        assertThat(sealed[1]).isEqualTo((byte) 0);
        assertThat(CredentialCipher.keyId(sealed)).hasValue(0);
    }

    @Test
    void refusesOtherAssociatedData() {
        byte[] sealed = cipher.seal(SECRET, AAD);

        assertThatThrownBy(() -> cipher.open(sealed, "bucket-2/cred-1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CredentialCipherException.class);
    }

    @Test
    void refusesAnotherMasterKey() {
        byte[] sealed = cipher.seal(SECRET, AAD);

        assertThatThrownBy(() -> new CredentialCipher(bytes(32, 8)).open(sealed, AAD))
                .isInstanceOf(CredentialCipherException.class);
    }

    @Test
    void refusesAnyTamperedByte() {
        byte[] sealed = cipher.seal(SECRET, AAD);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> cipher.open(tampered, AAD)).as("byte %d", i)
                    .isInstanceOf(CredentialCipherException.class)
                    .hasMessageNotContaining("do-not-leak");
        }
    }

    @Test
    void refusesATruncatedBlob() {
        byte[] sealed = cipher.seal(SECRET, AAD);

        assertThatThrownBy(() -> cipher.open(Arrays.copyOf(sealed, 40), AAD))
                .isInstanceOf(CredentialCipherException.class);
    }

    @Test
    void acceptsOnlyA32ByteMasterKey() {
        assertThatThrownBy(() -> new CredentialCipher(bytes(16, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CredentialCipher(bytes(33, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bytes(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }
}
