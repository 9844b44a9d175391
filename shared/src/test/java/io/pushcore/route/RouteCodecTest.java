package io.pushcore.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.pushcore.crypto.CredentialCipher;
import io.pushcore.crypto.CredentialCipherException;

class RouteCodecTest {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    final CredentialCipher cipher = new CredentialCipher(KEY);
    final UUID bucket = UUID.randomUUID();
    final UUID context = UUID.randomUUID();
    final Instant until = Instant.parse("2030-01-08T00:00:00Z");

    @Test
    void namesTheDocumentedKeys() {
        assertThat(RouteCodec.contextKey(context)).isEqualTo("routes/contexts/" + context + ".json");
        assertThat(RouteCodec.bucketKey(bucket)).isEqualTo("routes/buckets/" + bucket + ".json");
    }

    @Test
    void roundTripsContextAndBucketRoutes() {
        ContextRoute contextRoute = new ContextRoute(context, bucket, until);
        BucketRoute bucketRoute = new BucketRoute(bucket, "c2VhbGVk", until, null);

        assertThat(RouteCodec.readContext(RouteCodec.write(contextRoute))).isEqualTo(contextRoute);
        assertThat(RouteCodec.readBucket(RouteCodec.write(bucketRoute))).isEqualTo(bucketRoute);
        assertThat(RouteCodec.readBucket(RouteCodec.write(bucketRoute.disabled(until.minusSeconds(1)))).disabledAt())
                .isEqualTo(until.minusSeconds(1));
        assertThat(new String(RouteCodec.write(contextRoute), StandardCharsets.UTF_8)).isEqualTo(
                "{\"contextId\":\"" + context + "\",\"bucketId\":\"" + bucket
                        + "\",\"retainUntil\":\"2030-01-08T00:00:00Z\"}");
    }

    @Test
    void sealsTheCallbackSoItsHeadersAndSecretAreNotReadable() {
        Callback http = new Callback.Http(URI.create("https://hooks.example.com/in"),
                Map.of("x-secret", "header-value"), "whsec_c2VjcmV0");

        String sealed = RouteCodec.sealCallback(cipher, bucket, http);

        assertThat(new String(Base64.getDecoder().decode(sealed), StandardCharsets.ISO_8859_1))
                .doesNotContain("header-value", "whsec_", "hooks.example.com");
        assertThat(RouteCodec.openCallback(cipher, bucket, sealed)).isEqualTo(http);
        assertThat(RouteCodec.openCallback(cipher, bucket, RouteCodec.sealCallback(cipher, bucket,
                new Callback.None()))).isEqualTo(new Callback.None());
    }

    @Test
    void refusesACallbackSealedForAnotherBucket() {
        String sealed = RouteCodec.sealCallback(cipher, bucket, new Callback.None());

        assertThatThrownBy(() -> RouteCodec.openCallback(cipher, UUID.randomUUID(), sealed))
                .isInstanceOf(CredentialCipherException.class);
    }

    @Test
    void readsTheCallbackDocumentSendFunctionSeals() {
        byte[] plaintext = "{\"type\":\"http\",\"url\":\"https://h.example/x\",\"headers\":null,\"secret\":null}"
                .getBytes(StandardCharsets.UTF_8);
        String sealed = Base64.getEncoder().encodeToString(cipher.seal(plaintext, RouteCodec.callbackAad(bucket)));

        assertThat(RouteCodec.openCallback(cipher, bucket, sealed))
                .isEqualTo(new Callback.Http(URI.create("https://h.example/x"), Map.of(), null));
    }

    @Test
    void hidesHeadersAndSecretInToString() {
        assertThat(new Callback.Http(URI.create("https://h.example/path?token=t"), Map.of("a", "hv"), "sv"))
                .asString().doesNotContain("hv", "sv", "token");
    }
}
