package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.crypto.MessageIds;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.pushcore.testing.webpush.ReceivedPush;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** Through the API to a push service that decrypts every payload and verifies every VAPID JWT. */
@QuarkusTest
@TestProfile(InProcessAws.class)
class WebPushEndToEndTest {

    static FakeWebPushServer pushService;

    @Inject
    MessageIds messageIds;

    @BeforeAll
    static void start() {
        pushService = new FakeWebPushServer();
    }

    @AfterAll
    static void stop() {
        pushService.close();
    }

    @Test
    void deliversTheCoreWebPayloadEncryptedAndSignedAndReportsEachOutcome() throws Exception {
        FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        pushService.expectVapidPublicKey(vapid.publicKey());
        JsonPath bucket = api().body(Map.of(
                "providerCredentials", List.of(Map.of("type", "vapid", "payload",
                        Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                "callbackConfig", Map.of("type", "none"))).post("/v1/bucket").then().statusCode(200).extract()
                .jsonPath();
        String bucketId = bucket.getString("bucketId");
        String credentialId = bucket.getString("credentials[0].id");
        String contextId = api().body(Map.of("title", "Zażółć", "body", "gęślą jaźń", "behaviour",
                "https://example.com/a", "externalData", "{\"k\":1}",
                "actions", List.of(Map.of("action", "open", "title", "Open", "behaviour", "https://example.com/o"))))
                .post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(200).extract()
                .path("contextId");

        Subscriber accepting = pushService.subscribe().respond(201);
        Subscriber gone = pushService.subscribe().respond(410);
        Subscriber flaky = pushService.subscribe().respond(500, 201);
        Subscriber throttled = pushService.subscribe().respondRetryAfter(429, "1");
        List<Subscriber> subscribers = List.of(accepting, gone, flaky, throttled);
        List<Map<String, Object>> receivers = subscribers.stream().map(s -> Map.<String, Object>of(
                "credentialId", credentialId, "endpoint", s.endpoint(), "p256dh", s.p256dh(), "auth", s.auth(),
                "foreignId", "user-" + s.id())).toList();

        JsonPath reply = api().body(Map.of("receivers", receivers))
                .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(200)
                .extract().jsonPath();

        assertThat(reply.getList("results[0].errors")).isEmpty();
        assertThat(reply.getList("results[1].errors", String.class)).singleElement().asString()
                .startsWith("UNREGISTERED: ");
        assertThat(reply.getList("results[2].errors")).isEmpty();
        assertThat(reply.getList("results[3].errors")).isEmpty();

        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < subscribers.size(); i++) {
            UUID messageId = UUID.fromString(reply.getString("results[" + i + "].messageId"));
            assertThat(messageIds.verify(UUID.fromString(contextId), messageId)).isTrue();
            List<ReceivedPush> received = pushService.received(subscribers.get(i));
            assertThat(received).isNotEmpty().allSatisfy(push -> {
                assertThat(push.decrypted()).as(push.decryptionProblem()).isTrue();
                assertThat(push.vapidVerified()).as(push.vapidProblem()).isTrue();
            });
            JsonNode payload = json.readTree(received.get(received.size() - 1).plaintext());
            assertThat(payload.path("title").asText()).isEqualTo("Zażółć");
            assertThat(payload.path("body").asText()).isEqualTo("gęślą jaźń");
            JsonNode data = payload.path("data");
            assertThat(data.path("contextId").asText()).isEqualTo(contextId);
            assertThat(data.path("messageId").asText()).isEqualTo(messageId.toString());
            assertThat(data.path("foreignId").asText()).isEqualTo("user-" + subscribers.get(i).id());
            assertThat(data.path("externalData").asText()).isEqualTo("{\"k\":1}");
            assertThat(data.path("actionsMap").path("default").asText()).isEqualTo("https://example.com/a");
            assertThat(data.path("actionsMap").path("open").asText()).isEqualTo("https://example.com/o");
        }
        assertThat(pushService.received(flaky)).hasSize(2);
        assertThat(pushService.received(throttled)).hasSize(2);
    }

    @Test
    void sendsOneShotSilentPushesWithTheSilentFlag() throws Exception {
        FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        pushService.expectVapidPublicKey(vapid.publicKey());
        JsonPath bucket = api().body(Map.of(
                "providerCredentials", List.of(Map.of("type", "vapid", "payload",
                        Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                "callbackConfig", Map.of("type", "none"))).post("/v1/bucket").then().statusCode(200).extract()
                .jsonPath();
        Subscriber subscriber = pushService.subscribe().respond(201);
        String messageId = api().body(Map.of("receiver", Map.of("credentialId", bucket.getString("credentials[0].id"),
                "endpoint", subscriber.endpoint(), "p256dh", subscriber.p256dh(), "auth", subscriber.auth()),
                "metadata", Map.of("externalData", "ping", "ttl", 30)))
                .post("/v1/bucket/" + bucket.getString("bucketId") + "/send/silent").then().statusCode(200)
                .extract().path("messageId");

        List<ReceivedPush> received = pushService.awaitCount(1, Duration.ofSeconds(5)).stream()
                .filter(p -> p.subscriberId().equals(subscriber.id())).toList();
        assertThat(received).singleElement().satisfies(push -> assertThat(push.vapidVerified()).isTrue());
        JsonNode data = new ObjectMapper().readTree(received.get(0).plaintext()).path("data");
        assertThat(data.path("messageId").asText()).isEqualTo(messageId);
        assertThat(data.path("externalData").asText()).isEqualTo("ping");
        assertThat(data.path("_silent").asBoolean()).isTrue();
    }
}
