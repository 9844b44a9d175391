package io.pushcore.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Key rings from configuration: what is accepted, and errors that name the setting, never a key. */
class KeyRingTest {

    private static final String PREFIX = "send.security.credential";
    private static final String A = b64(32, 1);
    private static final String B = b64(32, 2);

    private static KeyRing ring(String ring, Integer active) {
        return KeyRing.fromConfig(PREFIX, Optional.empty(), Optional.of(ring), Optional.ofNullable(active), 32, 32);
    }

    @Test
    void theLastKeyWrittenIsActiveUnlessTheActiveSettingNamesAnother() {
        assertThat(ring("0:" + A + ", 1:" + B, null).activeId()).isEqualTo(1);
        assertThat(ring("1:" + B + ",0:" + A, null).activeId()).isEqualTo(0);
        KeyRing named = ring("0:" + A + ",1:" + B, 0);
        assertThat(named.activeId()).isEqualTo(0);
        assertThat(named.ids()).containsExactly(0, 1);
        assertThat(named.key(1)).hasValueSatisfying(k -> assertThat(k).isEqualTo(Base64.getDecoder().decode(B)));
        assertThat(named.key(2)).isEmpty();
    }

    @Test
    void aBareKeyIsARingOfKeyZeroAndSoIsTheSingleKeySetting() {
        KeyRing bare = ring(A, null);
        KeyRing single = KeyRing.fromConfig(PREFIX, Optional.of(A), Optional.empty(), Optional.empty(), 32, 32);

        assertThat(bare.ids()).containsExactly(0);
        assertThat(bare.activeId()).isZero();
        assertThat(single.ids()).containsExactly(0);
        assertThat(single.key(0)).hasValueSatisfying(k -> assertThat(k).isEqualTo(Base64.getDecoder().decode(A)));
    }

    @Test
    void badRingsFailNamingTheSettingAndKeyIdNeverTheValue() {
        String setting = "send.security.credential-keys (SEND_SECURITY_CREDENTIAL_KEYS)";
        String shortKey = b64(16, 3);
        assertThatThrownBy(() -> ring("0:" + A + ",1:" + shortKey, null)).isInstanceOf(IllegalStateException.class)
                .hasMessage(setting + " key 1 must be base64 of exactly 32 bytes");
        assertThatThrownBy(() -> ring("0:" + A + ",1:not base64!", null))
                .hasMessage(setting + " key 1 is not valid base64");
        assertThatThrownBy(() -> ring("0:" + A + ",0:" + B, null)).hasMessage(setting + " names key 0 twice");
        assertThatThrownBy(() -> ring("16:" + A, null))
                .hasMessage(setting + " has a key id that is not a number from 0 to 15");
        assertThatThrownBy(() -> ring("x:" + A, null))
                .hasMessage(setting + " has a key id that is not a number from 0 to 15");
        assertThatThrownBy(() -> ring(A + "," + B, null))
                .hasMessage(setting + " must be id:base64 entries separated by commas (ids 0 to 15)");
        assertThatThrownBy(() -> ring("0:" + A + ",", null))
                .hasMessage(setting + " must be id:base64 entries separated by commas (ids 0 to 15)");
        assertThatThrownBy(() -> ring("0:" + A, 2)).hasMessage("send.security.credential-keys-active "
                + "(SEND_SECURITY_CREDENTIAL_KEYS_ACTIVE) names key 2, which is not in " + setting);
        for (String value : new String[] { A, B, shortKey }) {
            assertThatThrownBy(() -> ring("0:" + A + ",1:" + shortKey + ",2:" + B, null))
                    .hasMessageNotContaining(value);
        }
    }

    @Test
    void exactlyOneOfTheRingAndTheSingleKeyIsSet() {
        assertThatThrownBy(() -> KeyRing.fromConfig(PREFIX, Optional.of(A), Optional.of("1:" + B), Optional.empty(),
                32, 32)).isInstanceOf(IllegalStateException.class).hasMessage("set send.security.credential-keys "
                        + "(SEND_SECURITY_CREDENTIAL_KEYS) or send.security.credential-key "
                        + "(SEND_SECURITY_CREDENTIAL_KEY), not both");
        assertThatThrownBy(() -> KeyRing.fromConfig(PREFIX, Optional.empty(), Optional.empty(), Optional.empty(), 32,
                32)).hasMessage("send.security.credential-keys (SEND_SECURITY_CREDENTIAL_KEYS) is required "
                        + "(or the single key send.security.credential-key (SEND_SECURITY_CREDENTIAL_KEY))");
        assertThatThrownBy(() -> KeyRing.fromConfig("aggregator.security.webhook", null, Optional.of(" "),
                Optional.empty(), 32, 32))
                .hasMessage("aggregator.security.webhook-keys (AGGREGATOR_SECURITY_WEBHOOK_KEYS) is required");
    }

    @Test
    void rotatingAndRetiringKeepsAnActiveKey() {
        KeyRing ring = KeyRing.of(Base64.getDecoder().decode(A)).with(1, Base64.getDecoder().decode(B));
        assertThat(ring.activeId()).isZero();
        KeyRing rotated = ring.activate(1);
        assertThat(rotated.without(0).ids()).containsExactly(1);
        assertThatThrownBy(() -> rotated.without(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rotated.activate(2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(rotated).hasToString("KeyRing[0, 1] active 1");
    }

    private static String b64(int length, int value) {
        byte[] key = new byte[length];
        Arrays.fill(key, (byte) value);
        return Base64.getEncoder().encodeToString(key);
    }
}
