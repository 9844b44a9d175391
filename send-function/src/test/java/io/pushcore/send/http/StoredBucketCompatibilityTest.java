package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.dataContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.crypto.CredentialCipher;
import io.pushcore.route.Callback;
import io.pushcore.route.RouteCodec;
import io.pushcore.send.storage.StateStore;
import io.pushcore.send.storage.StoredBucket;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A bucket stored before credentials were parsed once (the plaintext JSON and associated data written by the
 * earlier code, byte for byte as it wrote them) is still found, sends, and its sealed callback still opens.
 */
@QuarkusTest
@TestProfile(InProcessAws.class)
class StoredBucketCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CredentialCipher cipher;

    @Inject
    StateStore store;

    private String seal(String plaintext, String aad) {
        return Base64.getEncoder().encodeToString(cipher.seal(plaintext.getBytes(StandardCharsets.UTF_8),
                aad.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void findsAndSendsWithABucketStoredInTheEarlierFormat() throws Exception {
        UUID bucketId = UUID.randomUUID();
        UUID vapidId = UUID.randomUUID();
        UUID fcmId = UUID.randomUUID();
        UUID apnsId = UUID.randomUUID();
        FakeWebPushServer.VapidKeyStrings keys = FakeWebPushServer.newVapidKeys();
        String vapid = "{\"publicKey\":\"" + keys.publicKey() + "\",\"privateKey\":\"" + keys.privateKey()
                + "\",\"subject\":\"mailto:old@example.com\"}";
        String serviceAccount = ProviderFakes.fcm().serviceAccountJson("old-format");
        String apns = JSON.writeValueAsString(MobileCredentials.apnsTokenPayload(ProviderFakes.apns().signingKeyPem()));
        // The earlier CallbackDocument record: every component written, nulls included.
        String callback = "{\"type\":\"http\",\"url\":\"http://127.0.0.1:9/hook\",\"headers\":{\"x-old\":\"1\"},"
                + "\"secret\":null}";
        Instant now = Instant.now();
        store.putBucket(new StoredBucket(bucketId, "dev", now, now.plusSeconds(3600), List.of(
                new StoredBucket.StoredCredential(vapidId, "vapid", seal(vapid, bucketId + ":" + vapidId)),
                new StoredBucket.StoredCredential(fcmId, "fcm_v1", seal(serviceAccount, bucketId + ":" + fcmId)),
                new StoredBucket.StoredCredential(apnsId, "apns_token", seal(apns, bucketId + ":" + apnsId))),
                seal(callback, bucketId + ":callback")));

        String contextId = dataContext(bucketId.toString(), Map.of("title", "still here"));
        try (FakeWebPushServer browser = new FakeWebPushServer()) {
            browser.expectVapidPublicKey(keys.publicKey());
            Subscriber subscriber = browser.subscribe();
            String token = "old-format-" + UUID.randomUUID();
            String iphone = MobileCredentials.apnsDeviceToken();
            ProviderFakes.apns().register(ProviderFakes.APP_BUNDLE_ID, iphone);
            JsonPath reply = api().body(Map.of("receivers", List.of(
                    Map.of("credentialId", vapidId.toString(), "endpoint", subscriber.endpoint(), "p256dh",
                            subscriber.p256dh(), "auth", subscriber.auth()),
                    Map.of("credentialId", fcmId.toString(), "token", token),
                    Map.of("credentialId", apnsId.toString(), "token", iphone, "type", "apns/ios"))))
                    .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(200)
                    .extract().jsonPath();

            assertThat(reply.getList("results[0].errors")).isEmpty();
            assertThat(reply.getList("results[1].errors")).isEmpty();
            assertThat(reply.getList("results[2].errors")).isEmpty();
            assertThat(browser.received(subscriber)).singleElement()
                    .satisfies(p -> assertThat(p.vapidProblem()).isNull())
                    .satisfies(p -> assertThat(p.plaintext()).contains("still here"));
            assertThat(ProviderFakes.fcm().requestsFor(token)).hasSize(1);
            assertThat(ProviderFakes.apns().receivedFor(iphone)).hasSize(1);
        }
        StoredBucket stored = store.findBucket(bucketId).orElseThrow();
        assertThat(RouteCodec.openCallback(cipher, bucketId, stored.sealedCallback()))
                .isEqualTo(new Callback.Http(URI.create("http://127.0.0.1:9/hook"), Map.of("x-old", "1"),
                        null));
    }

    @Test
    void refusesTheReceiversOfStoredCredentialsThatNoLongerParse() {
        UUID bucketId = UUID.randomUUID();
        UUID broken = UUID.randomUUID();
        UUID unknown = UUID.randomUUID();
        Instant now = Instant.now();
        store.putBucket(new StoredBucket(bucketId, "dev", now, now.plusSeconds(3600), List.of(
                new StoredBucket.StoredCredential(broken, "vapid", seal("{\"publicKey\":\"AAAA\"}",
                        bucketId + ":" + broken)),
                new StoredBucket.StoredCredential(unknown, "carrier_pigeon", seal("{}", bucketId + ":" + unknown))),
                seal("{\"type\":\"none\"}", bucketId + ":callback")));
        String contextId = dataContext(bucketId.toString(), Map.of("title", "t"));

        JsonPath reply = api().body(Map.of("receivers", List.of(
                Map.of("credentialId", broken.toString(), "endpoint", "https://push.example/x", "p256dh", "BAAA",
                        "auth", "AAAA"),
                Map.of("credentialId", unknown.toString(), "token", "t"))))
                .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(200)
                .extract().jsonPath();

        assertThat(reply.getString("results[0].errors[0]")).isEqualTo("CREDENTIAL_REJECTED: receivers[0]."
                + "credentialId: the stored vapid credential is no longer usable: publicKey: must be an uncompressed "
                + "P-256 point (65 bytes)");
        assertThat(reply.getString("results[1].errors[0]")).isEqualTo("CREDENTIAL_REJECTED: receivers[1]."
                + "credentialId: the stored carrier_pigeon credential is no longer usable: this version of pushcore "
                + "does not know the type");
    }
}
