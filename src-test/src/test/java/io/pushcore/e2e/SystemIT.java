package io.pushcore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pushcore.e2e.support.Endpoints;
import io.pushcore.e2e.support.PushcoreClient;
import io.pushcore.e2e.support.WebhookReceiver;
import io.pushcore.e2e.support.WebhookReceiver.Delivery;
import io.pushcore.e2e.support.WebhookReceiver.Message;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.pushcore.testing.webpush.ReceivedPush;

/**
 * All three packaged functions behind the local API: a send and the service worker's client events reach the
 * bucket's webhook as signed packages holding exactly the events that happened, through SQS and the aggregator on
 * its schedule.
 */
class SystemIT {

    static final Duration ARRIVAL = Duration.ofSeconds(90);

    static FakeWebPushServer pushService;
    static Endpoints endpoints;
    static PushcoreClient api;
    static final HttpClient SERVICE_WORKER = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(System.getProperty("pushcore.e2e.base-url", "").isBlank(),
                "the webhook receiver and push endpoints are on this machine");
        pushService = new FakeWebPushServer();
        endpoints = Endpoints.start(Map.of(), Duration.ofSeconds(1));
        api = endpoints.client();
    }

    @AfterAll
    static void stop() {
        if (endpoints != null) {
            endpoints.close();
        }
        if (pushService != null) {
            pushService.close();
        }
    }

    /** The message ids and event kinds a webhook should see: messageId|kind|action. */
    private static String key(String messageId, String kind, String action) {
        return messageId + "|" + kind + "|" + (action == null ? "" : action);
    }

    private static String key(Message m) {
        return key(m.messageId(), m.kind(), m.action());
    }

    @Test
    void theWebhookGetsExactlyTheEventsOfASendAndItsClientEventsSigned() throws Exception {
        String secret = newSecret();
        try (WebhookReceiver webhook = new WebhookReceiver(secret, 0)) {
            Bucket bucket = bucket(webhook.url(), secret);
            String contextId = context(bucket.id());
            List<Subscriber> alive = List.of(pushService.subscribe(), pushService.subscribe(),
                    pushService.subscribe());
            Subscriber gone = pushService.subscribe().respond(410);
            List<Map<String, String>> receivers = new ArrayList<>();
            for (int i = 0; i < alive.size(); i++) {
                receivers.add(receiver(bucket.credentialId(), alive.get(i), "user-" + i));
            }
            receivers.add(receiver(bucket.credentialId(), gone, "gone"));
            receivers.add(Map.of("credentialId", "no-such-credential", "token", "abc", "foreignId", "broken"));

            JsonNode results = send(bucket.id(), contextId, receivers);
            Map<String, String> foreignIds = new HashMap<>();
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < receivers.size(); i++) {
                foreignIds.put(results.get(i).path("messageId").asText(), receivers.get(i).get("foreignId"));
            }
            String goneId = results.get(3).path("messageId").asText();
            String brokenId = results.get(4).path("messageId").asText();
            expected.add(key(goneId, "unregistered", null));
            expected.add(key(brokenId, "failed", null));

            // The service worker reads contextId and messageId from the decrypted push, as the SDK does.
            List<String> shown = new ArrayList<>();
            for (Subscriber subscriber : alive) {
                JsonNode data = PushcoreClient.JSON.readTree(decrypted(subscriber).plaintext()).path("data");
                assertThat(data.path("contextId").asText()).isEqualTo(contextId);
                String messageId = data.path("messageId").asText();
                shown.add(messageId);
                expected.add(key(messageId, "sent", null));
                assertThat(clientEvent(contextId, "delivered", messageId, foreignIds.get(messageId), null))
                        .isEqualTo(201);
                expected.add(key(messageId, "delivered", null));
            }
            assertThat(clientEvent(contextId, "clicked", shown.get(0), "user-0", "open")).isEqualTo(201);
            expected.add(key(shown.get(0), "clicked", "open"));
            assertThat(clientEvent(contextId, "closed", shown.get(1), "user-1", null)).isEqualTo(201);
            expected.add(key(shown.get(1), "closed", null));
            assertThat(clientEvent(contextId, "close", shown.get(2), "user-2", null)).isEqualTo(201);
            expected.add(key(shown.get(2), "closed", null));

            String forged = UUID.randomUUID().toString();
            assertThat(clientEvent(contextId, "clicked", forged, "user-0", "open")).isBetween(400, 499);
            String otherContext = context(bucket.id());
            assertThat(clientEvent(otherContext, "delivered", shown.get(0), "user-0", null)).isBetween(400, 499);

            List<Message> arrived = webhook.awaitAccepted(
                    messages -> messages.stream().map(SystemIT::key).collect(Collectors.toSet()).containsAll(expected),
                    ARRIVAL);
            // A few more aggregator runs: nothing else may arrive.
            Thread.sleep(4_000);
            arrived = webhook.accepted();

            assertThat(arrived.stream().map(SystemIT::key).toList()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(webhook.deliveries()).allSatisfy(d -> assertThat(d.signatureValid()).isTrue());
            assertThat(arrived).allSatisfy(m -> {
                assertThat(m.foreignId()).isEqualTo(foreignIds.get(m.messageId()));
                assertThat(m.ts()).isPositive();
            });
            assertThat(arrived).noneMatch(m -> m.messageId().equals(forged));
            assertThat(arrived).filteredOn(m -> m.kind().equals("unregistered")).singleElement()
                    .satisfies(m -> assertThat(m.reason()).startsWith("UNREGISTERED"));
            assertThat(arrived).filteredOn(m -> m.kind().equals("failed")).singleElement()
                    .satisfies(m -> assertThat(m.reason()).startsWith("UNKNOWN_CREDENTIAL: "));
            assertThat(arrived).filteredOn(m -> m.kind().equals("sent") || m.kind().equals("delivered"))
                    .allSatisfy(m -> assertThat(m.reason()).isNull());
        }
    }

    @Test
    void everyEventArrivesAfterTheWebhookFailedForAWhileAndRepeatsKeepTheirWebhookId() throws Exception {
        String secret = newSecret();
        try (WebhookReceiver webhook = new WebhookReceiver(secret, 2)) {
            Bucket bucket = bucket(webhook.url(), secret);
            String contextId = context(bucket.id());
            List<Subscriber> alive = List.of(pushService.subscribe(), pushService.subscribe(),
                    pushService.subscribe());
            List<Map<String, String>> receivers = new ArrayList<>();
            for (int i = 0; i < alive.size(); i++) {
                receivers.add(receiver(bucket.credentialId(), alive.get(i), "user-" + i));
            }
            JsonNode results = send(bucket.id(), contextId, receivers);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < alive.size(); i++) {
                String messageId = results.get(i).path("messageId").asText();
                decrypted(alive.get(i));
                expected.add(key(messageId, "sent", null));
                assertThat(clientEvent(contextId, "delivered", messageId, "user-" + i, null)).isEqualTo(201);
                expected.add(key(messageId, "delivered", null));
            }

            List<Message> arrived = webhook.awaitAccepted(
                    messages -> messages.stream().map(SystemIT::key).collect(Collectors.toSet()).containsAll(expected),
                    ARRIVAL);

            assertThat(arrived.stream().map(SystemIT::key).collect(Collectors.toSet()))
                    .isEqualTo(expected);
            List<Delivery> deliveries = webhook.deliveries();
            assertThat(deliveries).allSatisfy(d -> assertThat(d.signatureValid()).isTrue());
            assertThat(deliveries).filteredOn(d -> d.answered() == 500).hasSize(2);
            // An event seen more than once was only ever carried by retries of one package.
            Map<String, Set<String>> webhookIds = new LinkedHashMap<>();
            for (Delivery delivery : deliveries) {
                for (Message message : delivery.messages()) {
                    webhookIds.computeIfAbsent(key(message), k -> new HashSet<>()).add(delivery.webhookId());
                }
            }
            assertThat(webhookIds).allSatisfy((event, ids) -> assertThat(ids).as(event).hasSize(1));
            // The failed packages were retried, with the same webhook-id, until answered 200.
            Set<String> acceptedIds = deliveries.stream().filter(d -> d.answered() == 200).map(Delivery::webhookId)
                    .collect(Collectors.toSet());
            assertThat(deliveries).filteredOn(d -> d.answered() == 500)
                    .allSatisfy(d -> assertThat(acceptedIds).contains(d.webhookId()));
        }
    }

    private record Bucket(String id, String credentialId) {
    }

    private static String newSecret() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static Bucket bucket(URI webhook, String secret) throws Exception {
        FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        pushService.expectVapidPublicKey(vapid.publicKey());
        PushcoreClient.Reply reply = api.post("/v1/bucket", Map.of(
                "providerCredentials", List.of(Map.of("type", "vapid",
                        "payload", Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                "callbackConfig", Map.of("type", "http", "payload", Map.of("url", webhook.toString(), "secret", secret,
                        "headers", Map.of("x-customer", "e2e")))));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return new Bucket(reply.body().path("bucketId").asText(),
                reply.body().path("credentials").get(0).path("id").asText());
    }

    private static String context(String bucketId) throws Exception {
        PushcoreClient.Reply reply = api.post("/v1/bucket/" + bucketId + "/context/data",
                Map.of("title", "Hello", "body", "events end to end", "ttl", 3600));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().path("contextId").asText();
    }

    private static Map<String, String> receiver(String credentialId, Subscriber s, String foreignId) {
        return Map.of("credentialId", credentialId, "foreignId", foreignId, "endpoint", s.endpoint(), "p256dh",
                s.p256dh(), "auth", s.auth());
    }

    private static JsonNode send(String bucketId, String contextId, List<Map<String, String>> receivers)
            throws Exception {
        PushcoreClient.Reply send = api.post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send",
                Map.of("receivers", receivers));
        assertThat(send.status()).as(send.body().toString()).isEqualTo(200);
        return send.body().path("results");
    }

    private static ReceivedPush decrypted(Subscriber subscriber) {
        ReceivedPush push = pushService.received(subscriber).getFirst();
        assertThat(push.decrypted()).as(push.decryptionProblem()).isTrue();
        return push;
    }

    /** What the service worker posts: no API key, the body as text, cross-origin. */
    private static int clientEvent(String contextId, String kind, String messageId, String foreignId, String action)
            throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("contextId", contextId);
        body.put("messageId", messageId);
        body.put("foreignId", foreignId);
        if (action != null) {
            body.put("action", action);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoints.baseUri().resolve("/v1/context/" + contextId
                + "/events/" + kind)).timeout(Duration.ofSeconds(30)).header("content-type", "text/plain")
                .header("origin", "https://shop.example")
                .POST(HttpRequest.BodyPublishers.ofByteArray(PushcoreClient.JSON.writeValueAsBytes(body))).build();
        return SERVICE_WORKER.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
