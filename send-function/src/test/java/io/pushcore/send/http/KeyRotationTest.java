package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.OTHER_TENANT_KEY;
import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.dataContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pushcore.crypto.CredentialCipher;
import io.pushcore.crypto.KeyRing;
import io.pushcore.crypto.MessageIds;
import io.pushcore.route.Callback;
import io.pushcore.route.RouteCodec;
import io.pushcore.send.config.WebhookKeys;
import io.pushcore.send.storage.StateStore;
import io.pushcore.send.storage.StoredBucket;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * send-function after a rotation: every ring holds the test profile's key as key 0 and a new key 3, which is active.
 * A bucket sealed under key 0 before the rotation still sends, new records and message ids name key 3, and a bucket
 * sealed under a key that has since been retired (not in the ring) answers 410.
 */
@QuarkusTest
@TestProfile(KeyRotationTest.Rotated.class)
class KeyRotationTest {

    /** The test profile's keys (application.properties), key 0 of each ring. */
    static final String CREDENTIAL_A = "RbTA8PFiwwW+lOL9lEf5p56pZUp7wjUj94Kptjbb4GI=";
    static final String MESSAGE_ID_A = "DreT+j5uAta5sPjkdra/SS3aglLrgwSuzXfQ3S2eq+0=";
    static final String WEBHOOK_A = "6GpjvXGTkCpib6s4O2/XVMd/QVZd0A101JSJrYdSupk=";
    static final String CREDENTIAL_B = "yQ1mJ2m3q9Jr8cS2tQm8bW5w0J0mJm2v7b1u2m3xk0c=";
    static final String MESSAGE_ID_B = "k2mP4t0vH9p1Qd6hV8s2bX3n5c7e9g1i3k5m7o9q1s0=";
    static final String WEBHOOK_B = "Vb3n5m7k9j1h3g5f7d9s1a3p5o7i9u1y3t5r7e9w1q0=";

    public static class Rotated extends InProcessAws {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "send.security.credential-keys", "0:" + CREDENTIAL_A + ",3:" + CREDENTIAL_B,
                    "send.security.message-id-keys", "0:" + MESSAGE_ID_A + ",3:" + MESSAGE_ID_B,
                    "send.security.webhook-keys", "0:" + WEBHOOK_A + ",3:" + WEBHOOK_B);
        }
    }

    @Inject
    StateStore store;

    @Inject
    CredentialCipher cipher;

    @Inject
    @WebhookKeys
    CredentialCipher webhookCipher;

    @Test
    void aBucketSealedBeforeTheRotationStillSendsAndItsNewMessageIdsNameTheNewKey() {
        CredentialCipher before = new CredentialCipher(KeyRing.of(decode(CREDENTIAL_A)));
        FakeWebPushServer.VapidKeyStrings keys = FakeWebPushServer.newVapidKeys();
        UUID bucketId = UUID.randomUUID();
        UUID vapidId = UUID.randomUUID();
        String vapid = "{\"publicKey\":\"" + keys.publicKey() + "\",\"privateKey\":\"" + keys.privateKey()
                + "\",\"subject\":\"mailto:ops@example.com\"}";
        Instant now = Instant.now();
        store.putBucket(new StoredBucket(bucketId, "dev", now, now.plusSeconds(3600), List.of(
                new StoredBucket.StoredCredential(vapidId, "vapid", seal(before, vapid, bucketId + ":" + vapidId))),
                RouteCodec.sealCallback(new CredentialCipher(KeyRing.of(decode(WEBHOOK_A))), bucketId,
                        new Callback.None())));

        String contextId = dataContext(bucketId.toString(), Map.of("title", "sealed before the rotation"));
        try (FakeWebPushServer browser = new FakeWebPushServer()) {
            browser.expectVapidPublicKey(keys.publicKey());
            Subscriber subscriber = browser.subscribe();
            JsonPath reply = api().body(Map.of("receivers", List.of(Map.of("credentialId", vapidId.toString(),
                    "endpoint", subscriber.endpoint(), "p256dh", subscriber.p256dh(), "auth", subscriber.auth()))))
                    .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(200)
                    .extract().jsonPath();

            assertThat(reply.getList("results[0].errors")).isEmpty();
            UUID messageId = UUID.fromString(reply.getString("results[0].messageId"));
            assertThat(MessageIds.keyId(messageId)).isEqualTo(3);
            assertThat(new MessageIds(KeyRing.of(decode(MESSAGE_ID_A)).with(3, decode(MESSAGE_ID_B)))
                    .verify(UUID.fromString(contextId), messageId)).as("an event-function given both keys").isTrue();
            assertThat(new MessageIds(KeyRing.of(decode(MESSAGE_ID_A))).verify(UUID.fromString(contextId),
                    messageId)).as("an event-function still on the old ring").isFalse();
            assertThat(browser.received(subscriber)).singleElement()
                    .satisfies(p -> assertThat(p.plaintext()).contains("sealed before the rotation"));
        }
    }

    @Test
    void newBucketsAreSealedUnderTheActiveKeysTheCredentialsAndTheWebhookEachUnderTheirOwn() {
        JsonPath reply = api().body(SendApiTest.bucketRequest(SendApiTest.vapidCredential())).post("/v1/bucket")
                .then().statusCode(200).extract().jsonPath();
        UUID bucketId = UUID.fromString(reply.getString("bucketId"));

        StoredBucket stored = store.findBucket(bucketId).orElseThrow();
        assertThat(stored.credentials()).allSatisfy(c -> assertThat(
                CredentialCipher.keyId(Base64.getDecoder().decode(c.sealedPayload()))).hasValue(3));
        byte[] callback = Base64.getDecoder().decode(stored.sealedCallback());
        assertThat(CredentialCipher.keyId(callback)).hasValue(3);
        assertThat(RouteCodec.openCallback(webhookCipher, bucketId, stored.sealedCallback()))
                .isEqualTo(new Callback.None());
        assertThat(cipher.activeKeyId()).isEqualTo(3);
        assertThat(webhookCipher.activeKeyId()).isEqualTo(3);
    }

    @Test
    void aBucketSealedUnderARetiredKeyAnswers410ToItsTenantAnd404ToAnother() {
        CredentialCipher retired = new CredentialCipher(KeyRing.of(5, decode(CREDENTIAL_B)));
        UUID bucketId = UUID.randomUUID();
        UUID vapidId = UUID.randomUUID();
        Instant now = Instant.now();
        store.putBucket(new StoredBucket(bucketId, "dev", now, now.plusSeconds(3600), List.of(
                new StoredBucket.StoredCredential(vapidId, "vapid", seal(retired, "{}", bucketId + ":" + vapidId))),
                RouteCodec.sealCallback(webhookCipher, bucketId, new Callback.None())));

        api(OTHER_TENANT_KEY).body(Map.of("title", "x")).post("/v1/bucket/" + bucketId + "/context/data").then()
                .statusCode(404);
        api().body(Map.of("title", "x")).post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(410)
                .body("message", equalTo("bucket can no longer be used"))
                .body("errors", contains("bucketId: bucket " + bucketId
                        + " was sealed under a key this service has retired; create a new bucket"));
    }

    private static String seal(CredentialCipher cipher, String plaintext, String aad) {
        return Base64.getEncoder().encodeToString(cipher.seal(plaintext.getBytes(StandardCharsets.UTF_8),
                aad.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }
}
