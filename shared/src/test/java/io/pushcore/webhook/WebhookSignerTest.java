package io.pushcore.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    static final byte[] VECTOR_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void reproducesTheStandardWebhooksTestVector() {
        WebhookSigner signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        assertThat(signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, VECTOR_BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void keysAPlainSecretWithItsUtf8Bytes() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("my päss".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal("id1.10.body".getBytes(StandardCharsets.UTF_8)));

        assertThat(new WebhookSigner("my päss").sign("id1", 10, "body".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(expected);
    }

    @Test
    void verifiesAnyOfSeveralSignaturesAndRefusesTampering() {
        WebhookSigner signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String good = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

        assertThat(signer.verify("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, VECTOR_BODY,
                "v1,bm9wZQ== v2,xyz " + good)).isTrue();
        assertThat(signer.verify("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, VECTOR_BODY, good)).isFalse();
        assertThat(signer.verify("msg_other", 1614265330, VECTOR_BODY, good)).isFalse();
        assertThat(signer.verify("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{}".getBytes(), good)).isFalse();
        assertThat(signer.verify("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, VECTOR_BODY, "v1,!!")).isFalse();
        assertThat(signer.verify("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, VECTOR_BODY, null)).isFalse();
    }

    @Test
    void refusesEmptyAndMalformedSecrets() {
        assertThatThrownBy(() -> new WebhookSigner("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookSigner("whsec_")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookSigner("whsec_not base64!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("not base64!");
    }
}
