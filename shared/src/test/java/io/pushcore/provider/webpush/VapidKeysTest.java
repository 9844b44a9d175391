package io.pushcore.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.pushcore.testing.webpush.FakeWebPushServer;

class VapidKeysTest {

    private static final FakeWebPushServer.VapidKeyStrings PAIR = FakeWebPushServer.newVapidKeys();

    @Test
    void parsesTheFormatWebPushGenerateVapidKeysPrints() {
        VapidKeys keys = VapidKeys.parse(PAIR.publicKey(), PAIR.privateKey());

        assertThat(PAIR.publicKey()).hasSize(87);
        assertThat(PAIR.privateKey()).hasSize(43);
        assertThat(keys.publicKeyBase64Url()).isEqualTo(PAIR.publicKey());
    }

    @Test
    void acceptsPaddingAndSurroundingSpace() {
        VapidKeys keys = VapidKeys.parse(" " + PAIR.publicKey() + "=", PAIR.privateKey() + "=\n");

        assertThat(keys.publicKeyBase64Url()).isEqualTo(PAIR.publicKey());
    }

    @Test
    void refusesAPrivateKeyOfAnotherPair() {
        String other = FakeWebPushServer.newVapidKeys().privateKey();

        assertThatThrownBy(() -> VapidKeys.parse(PAIR.publicKey(), other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("privateKey: does not match publicKey");
    }

    @Test
    void refusesAPublicKeyThatIsNotOnTheCurve() {
        byte[] point = Base64.getUrlDecoder().decode(PAIR.publicKey());
        point[64] ^= 1;
        String broken = Base64.getUrlEncoder().withoutPadding().encodeToString(point);

        assertThatThrownBy(() -> VapidKeys.parse(broken, PAIR.privateKey()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("publicKey: ");
    }

    @Test
    void namesTheFieldOfMalformedInput() {
        assertThatThrownBy(() -> VapidKeys.parse("not base64!", PAIR.privateKey()))
                .hasMessageStartingWith("publicKey: ");
        assertThatThrownBy(() -> VapidKeys.parse(PAIR.privateKey(), PAIR.privateKey()))
                .hasMessageStartingWith("publicKey: ");
        assertThatThrownBy(() -> VapidKeys.parse(PAIR.publicKey(), null)).hasMessageStartingWith("privateKey: ");
        assertThatThrownBy(() -> VapidKeys.parse(PAIR.publicKey(), PAIR.publicKey()))
                .hasMessageStartingWith("privateKey: ");
        assertThatThrownBy(() -> VapidKeys.parse(PAIR.publicKey(), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                .hasMessageStartingWith("privateKey: ");
    }

    @Test
    void neverPrintsThePrivateKey() {
        VapidKeys keys = VapidKeys.parse(PAIR.publicKey(), PAIR.privateKey());

        assertThat(keys.toString()).contains(PAIR.publicKey()).doesNotContain(PAIR.privateKey());
    }
}
