package io.pushcore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pushcore.crypto.CredentialCipher;
import io.pushcore.crypto.MessageIds;
import io.pushcore.e2e.support.Endpoints;
import io.pushcore.e2e.support.PushcoreClient;
import io.pushcore.e2e.support.WebhookReceiver;
import io.pushcore.e2e.support.WebhookReceiver.Message;
import io.pushcore.local.LambdaFunction;
import io.pushcore.route.RouteCodec;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;

/**
 * Key rotation with no downtime and no lost events, on the packaged functions: a bucket, a context, message ids and a
 * webhook made under the local profile's keys (key 0 of every ring) keep working after a redeploy that adds key 1 to
 * every ring and makes it active (event-function and the aggregator first, then send-function, as the README says to
 * deploy), while new records and ids name key 1; after a second redeploy retires key 0, the old bucket answers 410,
 * its old message ids are refused like forged ones, and events of its route (sealed under webhook key 0) are
 * dead-lettered. S3 and SQS keep their state across both redeploys.
 */
class KeyRotationIT {

    static final Duration ARRIVAL = Duration.ofSeconds(120);
    /** The local profile's keys (application.properties): key 0 of each ring. */
    static final String CREDENTIAL_0 = "RbTA8PFiwwW+lOL9lEf5p56pZUp7wjUj94Kptjbb4GI=";
    static final String MESSAGE_ID_0 = "DreT+j5uAta5sPjkdra/SS3aglLrgwSuzXfQ3S2eq+0=";
    static final String WEBHOOK_0 = "6GpjvXGTkCpib6s4O2/XVMd/QVZd0A101JSJrYdSupk=";
    static final HttpClient DEVICE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static FakeWebPushServer pushService;
    static Endpoints endpoints;
    static PushcoreClient api;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(System.getProperty("pushcore.e2e.base-url", "").isBlank(),
                "redeploys the local system with other keys");
        pushService = new FakeWebPushServer();
        endpoints = Endpoints.start(Map.of(), Duration.ofSeconds(1));
        api = endpoints.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (endpoints != null) {
            endpoints.close();
        }
        if (pushService != null) {
            pushService.close();
        }
    }

    @Test
    void recordsIdsAndWebhooksFromBeforeARotationWorkAfterItUntilTheOldKeyIsRetired() throws Exception {
        String secret = "whsec_" + Base64.getEncoder().encodeToString(random(24));
        try (WebhookReceiver webhook = new WebhookReceiver(secret, 0)) {
            // ---- under key 0 (the local profile's single keys)
            FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
            pushService.expectVapidPublicKey(vapid.publicKey());
            PushcoreClient.Reply created = api.post("/v1/bucket", Map.of("providerCredentials", List.of(Map.of(
                    "type", "vapid", "payload", Map.of("publicKey", vapid.publicKey(), "privateKey",
                            vapid.privateKey()))),
                    "callbackConfig", Map.of("type", "http", "payload", Map.of("url", webhook.url().toString(),
                            "secret", secret))));
            assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
            String oldBucket = created.body().path("bucketId").asText();
            String oldCredential = created.body().path("credentials").get(0).path("id").asText();
            String oldContext = context(oldBucket);
            Subscriber browser = pushService.subscribe();
            String beforeId = send(oldBucket, oldContext, oldCredential, browser, "before");
            assertThat(MessageIds.keyId(UUID.fromString(beforeId))).isZero();
            assertThat(serviceWorkerEvent(oldContext, "delivered", beforeId, "before")).isEqualTo(201);
            awaitWebhook(webhook, Set.of(beforeId + "|sent", beforeId + "|delivered"));

            // ---- rotation: key 1 added to every ring and active; the old keys stay as key 0
            String credential1 = b64(random(32));
            String messageId1 = b64(random(32));
            String webhook1 = b64(random(32));
            Map<String, String> rotated = Map.of(
                    "SEND_SECURITY_CREDENTIAL_KEYS", "0:" + CREDENTIAL_0 + ",1:" + credential1,
                    "SEND_SECURITY_MESSAGE_ID_KEYS", "0:" + MESSAGE_ID_0 + ",1:" + messageId1,
                    "SEND_SECURITY_WEBHOOK_KEYS", "0:" + WEBHOOK_0 + ",1:" + webhook1,
                    "EVENT_SECURITY_MESSAGE_ID_KEYS", "0:" + MESSAGE_ID_0 + ",1:" + messageId1,
                    "AGGREGATOR_SECURITY_WEBHOOK_KEYS", "0:" + WEBHOOK_0 + ",1:" + webhook1);
            endpoints.redeploy(rotated, LambdaFunction.EVENT, LambdaFunction.AGGREGATOR, LambdaFunction.SEND);

            // the old bucket and context still send; the new id names key 1
            String afterId = send(oldBucket, oldContext, oldCredential, browser, "after");
            assertThat(MessageIds.keyId(UUID.fromString(afterId))).isEqualTo(1);
            // the old id's client event is accepted, and the old callback (sealed under webhook key 0) delivers
            assertThat(serviceWorkerEvent(oldContext, "clicked", beforeId, "before")).isEqualTo(201);
            assertThat(serviceWorkerEvent(oldContext, "delivered", afterId, "after")).isEqualTo(201);
            awaitWebhook(webhook, Set.of(beforeId + "|sent", beforeId + "|delivered", afterId + "|sent",
                    beforeId + "|clicked", afterId + "|delivered"));
            // a new bucket: its credential and its callback name key 1 of their own rings
            PushcoreClient.Reply fresh = api.post("/v1/bucket", Map.of("providerCredentials", List.of(Map.of(
                    "type", "vapid", "payload", Map.of("publicKey", vapid.publicKey(), "privateKey",
                            vapid.privateKey()))),
                    "callbackConfig", Map.of("type", "http", "payload", Map.of("url", webhook.url().toString(),
                            "secret", secret))));
            assertThat(fresh.status()).as(fresh.body().toString()).isEqualTo(200);
            String newBucket = fresh.body().path("bucketId").asText();
            String newCredential = fresh.body().path("credentials").get(0).path("id").asText();
            JsonNode stored = PushcoreClient.JSON.readTree(endpoints.stateObject("buckets/" + newBucket + ".json"));
            assertThat(CredentialCipher.keyId(Base64.getDecoder().decode(
                    stored.path("credentials").get(0).path("sealedPayload").asText()))).hasValue(1);
            byte[] route = endpoints.stateObject(RouteCodec.bucketKey(UUID.fromString(newBucket)));
            assertThat(CredentialCipher.keyId(Base64.getDecoder().decode(
                    RouteCodec.readBucket(route).sealedCallback()))).hasValue(1);
            byte[] oldRoute = endpoints.stateObject(RouteCodec.bucketKey(UUID.fromString(oldBucket)));
            assertThat(CredentialCipher.keyId(Base64.getDecoder().decode(
                    RouteCodec.readBucket(oldRoute).sealedCallback()))).hasValue(0);

            // ---- key 0 retired from every ring
            endpoints.redeploy(Map.of(
                    "SEND_SECURITY_CREDENTIAL_KEYS", "1:" + credential1,
                    "SEND_SECURITY_MESSAGE_ID_KEYS", "1:" + messageId1,
                    "SEND_SECURITY_WEBHOOK_KEYS", "1:" + webhook1,
                    "EVENT_SECURITY_MESSAGE_ID_KEYS", "1:" + messageId1,
                    "AGGREGATOR_SECURITY_WEBHOOK_KEYS", "1:" + webhook1),
                    LambdaFunction.SEND, LambdaFunction.EVENT, LambdaFunction.AGGREGATOR);

            PushcoreClient.Reply gone = api.post("/v1/bucket/" + oldBucket + "/context/data",
                    Map.of("title", "Hello", "body", "after retirement"));
            assertThat(gone.status()).as(gone.body().toString()).isEqualTo(410);
            assertThat(gone.body().path("errors").get(0).asText()).startsWith("bucketId: ")
                    .contains("retired");
            assertThat(serviceWorkerEvent(oldContext, "closed", beforeId, "before")).as("an id under key 0")
                    .isEqualTo(400);
            assertThat(serviceWorkerEvent(oldContext, "closed", afterId, "after")).as("an id under key 1")
                    .isEqualTo(201);
            String newContext = context(newBucket);
            String lastId = send(newBucket, newContext, newCredential, browser, "last");
            assertThat(MessageIds.keyId(UUID.fromString(lastId))).isEqualTo(1);
            awaitWebhook(webhook, Set.of(beforeId + "|sent", beforeId + "|delivered", afterId + "|sent",
                    beforeId + "|clicked", afterId + "|delivered", lastId + "|sent"));
            // the old bucket's route is sealed under webhook key 0, which the aggregator no longer holds: its new
            // event goes to the dead-letter queue (corrupt_route), not lost without a trace
            long deadline = System.nanoTime() + ARRIVAL.toNanos();
            while (endpoints.deadLetteredEvents() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(endpoints.deadLetteredEvents()).isPositive();
            assertThat(keys(webhook.accepted())).doesNotContain(afterId + "|closed");
        }
    }

    private static String context(String bucketId) throws Exception {
        PushcoreClient.Reply reply = api.post("/v1/bucket/" + bucketId + "/context/data",
                Map.of("title", "Hello", "body", "key rotation"));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().path("contextId").asText();
    }

    /** Sends to one browser; the push arrives and decrypts; returns its message id. */
    private static String send(String bucketId, String contextId, String credentialId, Subscriber browser,
            String foreignId) throws Exception {
        int before = pushService.received(browser).size();
        PushcoreClient.Reply reply = api.post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send",
                Map.of("receivers", List.of(Map.of("credentialId", credentialId, "endpoint", browser.endpoint(),
                        "p256dh", browser.p256dh(), "auth", browser.auth(), "foreignId", foreignId))));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        JsonNode result = reply.body().path("results").get(0);
        assertThat(result.path("errors")).as(result.toString()).isEmpty();
        assertThat(pushService.received(browser)).hasSize(before + 1);
        assertThat(pushService.received(browser).getLast().decrypted()).isTrue();
        return result.path("messageId").asText();
    }

    /** Waits until the webhook has accepted exactly {@code expected} (messageId|kind), signed. */
    private static void awaitWebhook(WebhookReceiver webhook, Set<String> expected) throws InterruptedException {
        List<Message> accepted = webhook.awaitAccepted(m -> keys(m).containsAll(expected), ARRIVAL);
        assertThat(keys(accepted)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(webhook.deliveries()).allSatisfy(d -> assertThat(d.signatureValid()).isTrue());
    }

    private static Set<String> keys(List<Message> messages) {
        return messages.stream().map(m -> m.messageId() + "|" + m.kind()).collect(Collectors.toSet());
    }

    /** What the JS service worker posts: no API key, the body as text, cross-origin. */
    private static int serviceWorkerEvent(String contextId, String kind, String messageId, String foreignId)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(endpoints.baseUri().resolve("/v1/context/" + contextId
                + "/events/" + kind)).timeout(Duration.ofSeconds(30)).header("content-type", "text/plain")
                .header("origin", "https://shop.example")
                .POST(HttpRequest.BodyPublishers.ofByteArray(PushcoreClient.JSON.writeValueAsBytes(Map.of(
                        "contextId", contextId, "messageId", messageId, "foreignId", foreignId))))
                .build();
        return DEVICE.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

}
