package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.receiver;
import static io.pushcore.send.http.SendApiTest.vapidCredential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pushcore.crypto.CredentialCipher;
import io.pushcore.crypto.CredentialCipherException;
import io.pushcore.model.Event;
import io.pushcore.model.EventKind;
import io.pushcore.queue.QueueCodec;
import io.pushcore.route.BucketRoute;
import io.pushcore.route.Callback;
import io.pushcore.route.ContextRoute;
import io.pushcore.route.RouteCodec;
import io.pushcore.send.config.WebhookKeys;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.send.support.SendAws;
import io.pushcore.testing.aws.InjectLocalAws;
import io.pushcore.testing.aws.LocalAws;
import io.pushcore.testing.hms.FakeHmsServer;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.sqs.model.Message;

/** Every receiver outcome reaches the event queue, and buckets and contexts leave routes for the aggregator. */
@QuarkusTest
@TestProfile(InProcessAws.class)
class SendEventsTest {

    static final String SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("a-webhook-secret-of-32-bytes!!!!".getBytes(StandardCharsets.UTF_8));

    static FakeWebPushServer pushService;

    @InjectLocalAws
    LocalAws aws;

    @Inject
    @WebhookKeys
    CredentialCipher webhookCipher;

    @Inject
    CredentialCipher credentialCipher;

    @BeforeAll
    static void start() {
        pushService = new FakeWebPushServer();
    }

    @AfterAll
    static void stop() {
        pushService.close();
    }

    @Test
    void putsSentUnregisteredAndFailedEventsOnTheQueue() {
        String[] bucket = bucketWithWebhook();
        String contextId = api().body(Map.of("title", "hello")).post("/v1/bucket/" + bucket[0] + "/context/data")
                .then().statusCode(200).extract().path("contextId");
        Subscriber alive = pushService.subscribe();
        Subscriber gone = pushService.subscribe().respond(410);
        Subscriber broken = pushService.subscribe().respond(400);
        List<Map<String, Object>> receivers = List.of(receiver(bucket[1], alive, "alive"),
                receiver(bucket[1], gone, "gone"), receiver(bucket[1], broken, "broken"),
                Map.of("credentialId", "no-such-credential", "token", "abc", "foreignId", "invalid"));
        JsonPath reply = api().body(Map.of("receivers", receivers))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(200)
                .extract().jsonPath();

        List<Event> events = eventsOf(UUID.fromString(contextId));
        assertThat(events).extracting(Event::foreignId, Event::kind, Event::bucketId, Event::messageId)
                .containsExactlyInAnyOrder(
                        tuple("alive", EventKind.SENT, UUID.fromString(bucket[0]), id(reply, 0)),
                        tuple("gone", EventKind.UNREGISTERED, UUID.fromString(bucket[0]), id(reply, 1)),
                        tuple("broken", EventKind.FAILED, UUID.fromString(bucket[0]), id(reply, 2)),
                        tuple("invalid", EventKind.FAILED, UUID.fromString(bucket[0]), id(reply, 3)));
        for (int i = 0; i < 4; i++) {
            UUID messageId = id(reply, i);
            Event event = events.stream().filter(e -> e.messageId().equals(messageId)).findFirst().orElseThrow();
            List<String> errors = reply.getList("results[" + i + "].errors");
            assertThat(event.reason()).isEqualTo(errors.isEmpty() ? null : errors.get(0));
        }
        assertThat(events).allSatisfy(e -> assertThat(e.action()).isNull());
        assertThat(events.stream().filter(e -> e.foreignId().equals("invalid")).findFirst().orElseThrow().reason())
                .startsWith("UNKNOWN_CREDENTIAL: ");
        assertThat(events.stream().filter(e -> e.foreignId().equals("gone")).findFirst().orElseThrow().reason())
                .startsWith("UNREGISTERED");
    }

    @Test
    void putsHmsAndLegacyFcmOutcomesOnTheQueueLikeTheOtherProviders() {
        JsonPath bucket = api().body(Map.of("providerCredentials", List.of(MobileCredentials.hms("300000001"),
                Map.of("type", "fcm_legacy", "payload", Map.of("senderId", "1", "authorizationKey", "k"))),
                "callbackConfig", Map.of("type", "none"))).post("/v1/bucket").then().statusCode(200)
                .extract().jsonPath();
        String bucketId = bucket.getString("bucketId");
        String hms = bucket.getString("credentials[0].id");
        String contextId = api().body(Map.of("title", "hello")).post("/v1/bucket/" + bucketId + "/context/data")
                .then().statusCode(200).extract().path("contextId");
        String dead = "dead-" + UUID.randomUUID();
        ProviderFakes.hms().script(dead, FakeHmsServer.Reply.INVALID_TOKEN);
        JsonPath reply = api().body(Map.of("receivers", List.of(
                Map.of("credentialId", hms, "token", "live-" + UUID.randomUUID(), "foreignId", "live"),
                Map.of("credentialId", hms, "token", dead, "foreignId", "dead"),
                Map.of("credentialId", bucket.getString("credentials[1].id"), "token", "t", "foreignId", "legacy"))))
                .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(200)
                .extract().jsonPath();

        List<Event> events = eventsOf(UUID.fromString(contextId));
        assertThat(events).extracting(Event::foreignId, Event::kind, Event::messageId).containsExactlyInAnyOrder(
                tuple("live", EventKind.SENT, id(reply, 0)),
                tuple("dead", EventKind.UNREGISTERED, id(reply, 1)),
                tuple("legacy", EventKind.FAILED, id(reply, 2)));
        assertThat(events).filteredOn(e -> e.foreignId().equals("legacy")).singleElement()
                .extracting(Event::reason).asString().startsWith("CREDENTIAL_REJECTED: ").contains("fcm_v1");
    }

    @Test
    void putsTheOutcomesOfRawSendsOnTheQueueLikeAnyOther() {
        JsonPath bucket = api().body(Map.of("providerCredentials", List.of(vapidCredential(),
                MobileCredentials.hms("400000010")), "callbackConfig", Map.of("type", "none")))
                .post("/v1/bucket").then().statusCode(200).extract().jsonPath();
        String bucketId = bucket.getString("bucketId");
        String webId = bucket.getString("credentials[0].id");
        String hmsId = bucket.getString("credentials[1].id");
        String contextId = api().body(Map.of("common", Map.of("title", "raw"), "huawei", Map.of("biTag", "b")))
                .post("/v1/bucket/" + bucketId + "/context/raw").then().statusCode(200).extract().path("contextId");
        String dead = "raw-dead-" + UUID.randomUUID();
        ProviderFakes.hms().script(dead, FakeHmsServer.Reply.INVALID_TOKEN);
        JsonPath reply = api().body(Map.of("receivers", List.of(
                receiver(webId, pushService.subscribe(), "alive"),
                receiver(webId, pushService.subscribe().respond(410), "gone"),
                receiver(webId, pushService.subscribe().respond(400), "broken"),
                Map.of("credentialId", hmsId, "token", "raw-live-" + UUID.randomUUID(), "foreignId", "live"),
                Map.of("credentialId", hmsId, "token", dead, "foreignId", "dead"))))
                .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(200)
                .extract().jsonPath();

        assertThat(eventsOf(UUID.fromString(contextId)))
                .extracting(Event::foreignId, Event::kind, Event::bucketId, Event::messageId)
                .containsExactlyInAnyOrder(
                        tuple("alive", EventKind.SENT, UUID.fromString(bucketId), id(reply, 0)),
                        tuple("gone", EventKind.UNREGISTERED, UUID.fromString(bucketId), id(reply, 1)),
                        tuple("broken", EventKind.FAILED, UUID.fromString(bucketId), id(reply, 2)),
                        tuple("live", EventKind.SENT, UUID.fromString(bucketId), id(reply, 3)),
                        tuple("dead", EventKind.UNREGISTERED, UUID.fromString(bucketId), id(reply, 4)));
    }

    @Test
    void oneShotSendsEmitTheirEventAndRouteTheirImplicitContext() {
        String[] bucket = bucketWithWebhook();
        Subscriber alive = pushService.subscribe();
        String messageId = api().body(Map.of("metadata", Map.of("title", "once"), "receiver",
                receiver(bucket[1], alive, "one-shot")))
                .post("/v1/bucket/" + bucket[0] + "/send").then().statusCode(200).extract().path("messageId");
        Event event = findByMessageId(UUID.fromString(messageId));
        assertThat(event.kind()).isEqualTo(EventKind.SENT);
        assertThat(event.foreignId()).isEqualTo("one-shot");
        ContextRoute route = RouteCodec.readContext(object(RouteCodec.contextKey(event.contextId())));
        assertThat(route.bucketId()).hasToString(bucket[0]);
    }

    @Test
    void writesRoutesWithTheCallbackSealedAndRetainedPastExpiry() {
        String[] bucket = bucketWithWebhook();
        UUID bucketId = UUID.fromString(bucket[0]);
        String contextId = api().body(Map.of("title", "hello")).post("/v1/bucket/" + bucket[0] + "/context/data")
                .then().statusCode(200).extract().path("contextId");
        String silentId = api().body(Map.of()).post("/v1/bucket/" + bucket[0] + "/context/silent")
                .then().statusCode(200).extract().path("contextId");

        byte[] bucketDocument = object(RouteCodec.bucketKey(bucketId));
        assertThat(new String(bucketDocument, StandardCharsets.UTF_8)).doesNotContain(SECRET)
                .doesNotContain("X-Customer").doesNotContain("customer-header-value");
        BucketRoute bucketRoute = RouteCodec.readBucket(bucketDocument);
        assertThat(bucketRoute.disabledAt()).isNull();
        // retention 7 d from when the route was written, as the state bucket's S3 lifecycle counts
        assertThat(bucketRoute.retainUntil()).isBetween(Instant.now().plus(Duration.ofHours(7 * 24 - 1)),
                Instant.now().plus(Duration.ofHours(7 * 24)));
        Callback callback = RouteCodec.openCallback(webhookCipher, bucketId, bucketRoute.sealedCallback());
        assertThat(callback).isInstanceOfSatisfying(Callback.Http.class, http -> {
            assertThat(http.url()).hasToString("http://127.0.0.1:9/hook");
            assertThat(http.secret()).isEqualTo(SECRET);
            assertThat(http.headers()).containsEntry("X-Customer", "customer-header-value");
        });
        // the webhook has a key ring of its own: the credential keys (never given to the aggregator) do not open it
        assertThatThrownBy(() -> RouteCodec.openCallback(credentialCipher, bucketId, bucketRoute.sealedCallback()))
                .isInstanceOf(CredentialCipherException.class);

        for (String id : List.of(contextId, silentId)) {
            ContextRoute route = RouteCodec.readContext(object(RouteCodec.contextKey(UUID.fromString(id))));
            assertThat(route.bucketId()).isEqualTo(bucketId);
            assertThat(route.retainUntil()).isBetween(Instant.now().plus(Duration.ofHours(7 * 24 - 1)),
                    Instant.now().plus(Duration.ofHours(7 * 24)));
        }
    }

    @Test
    void refusesAWebhookSecretTheSignerCannotUse() {
        api().body(Map.of("providerCredentials", List.of(vapidCredential()), "callbackConfig", Map.of("type", "http",
                "payload", Map.of("url", "http://127.0.0.1:9/hook", "secret", "whsec_not base64!"))))
                .post("/v1/bucket").then().statusCode(400)
                .body("errors", org.hamcrest.Matchers.hasItem(
                        org.hamcrest.Matchers.startsWith("callbackConfig.payload.secret: ")))
                .body("errors.toString()", org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("not base64!")));
    }

    /** {bucketId, credentialId} of a new bucket whose webhook has a secret and a header. */
    private static String[] bucketWithWebhook() {
        JsonPath reply = api().body(Map.of("providerCredentials", List.of(vapidCredential()), "callbackConfig",
                Map.of("type", "http", "payload", Map.of("url", "http://127.0.0.1:9/hook", "secret", SECRET,
                        "headers", Map.of("X-Customer", "customer-header-value")))))
                .post("/v1/bucket").then().statusCode(200).extract().jsonPath();
        return new String[] { reply.getString("bucketId"), reply.getString("credentials[0].id") };
    }

    private static UUID id(JsonPath reply, int index) {
        return UUID.fromString(reply.getString("results[" + index + "].messageId"));
    }

    private byte[] object(String key) {
        return aws.s3().getObjectAsBytes(b -> b.bucket(SendAws.STATE_BUCKET).key(key)).asByteArray();
    }

    private Event findByMessageId(UUID messageId) {
        return drain().stream().filter(e -> e.messageId().equals(messageId)).findFirst().orElseThrow();
    }

    /** This context's events; the queue is shared by the test classes of the profile, so others are skipped. */
    private List<Event> eventsOf(UUID contextId) {
        return drain().stream().filter(e -> e.contextId().equals(contextId)).toList();
    }

    private List<Event> drain() {
        String url = aws.sqs().getQueueUrl(b -> b.queueName(SendAws.QUEUE)).queueUrl();
        List<Event> events = new ArrayList<>();
        while (true) {
            List<Message> messages = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return events;
            }
            for (Message message : messages) {
                events.addAll(QueueCodec.decode(message.body()).events());
                aws.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
    }
}
