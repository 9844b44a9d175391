package io.pushcore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.pushcore.e2e.support.Endpoints;
import io.pushcore.e2e.support.PushcoreClient;
import io.pushcore.local.LocalRunner;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.pushcore.testing.webpush.ReceivedPush;

/**
 * The local run command's promise: the packaged send-function behind the emulated API Gateway, with S3/SQS
 * stand-ins, creates buckets and contexts and delivers encrypted, VAPID-signed web pushes.
 */
class LocalSystemIT {

    static FakeWebPushServer pushService;
    static Endpoints endpoints;
    static PushcoreClient api;

    @BeforeAll
    static void start() throws Exception {
        pushService = new FakeWebPushServer();
        endpoints = Endpoints.start(Map.of());
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

    @Test
    void answersTheRootWithItsVersion() throws Exception {
        PushcoreClient.Reply root = api.get("/");

        assertThat(root.status()).isEqualTo(200);
        assertThat(root.body().has("currentVersion")).isTrue();
    }

    @Test
    void deliversEncryptedVapidSignedPushesToEverySubscriberAndReportsTheGoneOne() throws Exception {
        FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        pushService.expectVapidPublicKey(vapid.publicKey());

        PushcoreClient.Reply bucket = api.post("/v1/bucket", Map.of(
                "providerCredentials", List.of(Map.of("type", "vapid",
                        "payload", Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                "callbackConfig", Map.of("type", "none")));
        assertThat(bucket.status()).as(bucket.body().toString()).isBetween(200, 201);
        String bucketId = bucket.body().path("bucketId").asText();
        String credentialId = bucket.body().path("credentials").get(0).path("id").asText();
        assertThat(bucket.body().path("credentials").get(0).path("type").asText()).isEqualTo("vapid");

        PushcoreClient.Reply context = api.post("/v1/bucket/" + bucketId + "/context/data", Map.of(
                "title", "Hello from pushcore", "body", "end to end", "behaviour", "https://example.com/landing",
                "ttl", 3600));
        assertThat(context.status()).as(context.body().toString()).isBetween(200, 201);
        String contextId = context.body().path("contextId").asText();

        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            subscribers.add(pushService.subscribe());
        }
        Subscriber gone = pushService.subscribe().respond(410);
        subscribers.add(gone);
        List<Map<String, String>> receivers = new ArrayList<>();
        for (int i = 0; i < subscribers.size(); i++) {
            Subscriber s = subscribers.get(i);
            receivers.add(Map.of("credentialId", credentialId, "foreignId", "user-" + i, "endpoint", s.endpoint(),
                    "p256dh", s.p256dh(), "auth", s.auth()));
        }

        PushcoreClient.Reply send = api.post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send",
                Map.of("receivers", receivers));

        assertThat(send.status()).as(send.body().toString()).isBetween(200, 201);
        JsonNode results = send.body().path("results");
        assertThat(results).hasSize(subscribers.size());
        for (int i = 0; i < subscribers.size(); i++) {
            Subscriber subscriber = subscribers.get(i);
            JsonNode result = results.get(i);
            String messageId = result.path("messageId").asText();
            assertThat(messageId).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            List<ReceivedPush> received = pushService.received(subscriber);
            assertThat(received).as("pushes for receiver " + i).hasSize(1);
            ReceivedPush push = received.getFirst();
            assertThat(push.decrypted()).as(push.decryptionProblem()).isTrue();
            assertThat(push.vapidVerified()).as(push.vapidProblem()).isTrue();
            if (subscriber == gone) {
                assertThat(push.status()).isEqualTo(410);
                assertThat(result.path("errors")).hasSize(1);
                assertThat(result.path("errors").get(0).asText()).startsWith("UNREGISTERED: ");
                continue;
            }
            assertThat(result.path("errors")).as(result.toString()).isEmpty();
            JsonNode payload = PushcoreClient.JSON.readTree(push.plaintext());
            assertThat(payload.path("title").asText()).isEqualTo("Hello from pushcore");
            assertThat(payload.path("body").asText()).isEqualTo("end to end");
            assertThat(payload.path("data").path("messageId").asText()).isEqualTo(messageId);
            assertThat(payload.path("data").path("contextId").asText()).isEqualTo(contextId);
            assertThat(payload.path("data").path("foreignId").asText()).isEqualTo("user-" + i);
        }
        assertThat(results.findValuesAsText("messageId")).doesNotHaveDuplicates();
    }

    @Test
    void refusesRequestsWithoutApiKey() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(endpoints.baseUri().resolve("/v1/bucket")).timeout(Duration.ofSeconds(60))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void servesResizedImagesFromTheLocalCdnUnderTheApiBaseUrl() throws Exception {
        assumeTrue(System.getProperty("pushcore.e2e.base-url", "").isBlank(), "the image origin is on this machine");
        java.awt.image.BufferedImage logo = new java.awt.image.BufferedImage(400, 200,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(logo, "png", png);
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/logo.png", exchange -> {
            exchange.sendResponseHeaders(200, png.size());
            exchange.getResponseBody().write(png.toByteArray());
            exchange.close();
        });
        origin.start();
        try {
            FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
            pushService.expectVapidPublicKey(vapid.publicKey());
            JsonNode bucket = api.post("/v1/bucket", Map.of("providerCredentials", List.of(Map.of("type", "vapid",
                    "payload", Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                    "callbackConfig", Map.of("type", "none"))).body();
            Subscriber subscriber = pushService.subscribe();

            PushcoreClient.Reply send = api.post("/v1/bucket/" + bucket.path("bucketId").asText() + "/send", Map.of(
                    "receiver", Map.of("credentialId", bucket.path("credentials").get(0).path("id").asText(),
                            "endpoint", subscriber.endpoint(), "p256dh", subscriber.p256dh(), "auth",
                            subscriber.auth()),
                    "metadata", Map.of("title", "with icon", "icon", "http://127.0.0.1:" + origin.getAddress().getPort()
                            + "/logo.png")));

            assertThat(send.status()).as(send.body().toString()).isEqualTo(200);
            ReceivedPush push = pushService.received(subscriber).getFirst();
            String icon = PushcoreClient.JSON.readTree(push.plaintext()).path("icon").asText();
            // under the tenant's key: the first 16 bytes of SHA-256 of the tenant's name, in hex
            String tenantKey = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(LocalRunner.DEV_TENANT.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 16);
            assertThat(icon).matches("http://localhost:\\d+/cdn/images/" + tenantKey + "/[0-9a-f]{64}-icon\\.png");
            HttpResponse<byte[]> image = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    java.net.URI.create(icon)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(image.statusCode()).isEqualTo(200);
            assertThat(image.headers().firstValue("content-type")).hasValue("image/png");
            assertThat(image.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
            java.awt.image.BufferedImage served = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                    image.body()));
            assertThat(served.getWidth()).isEqualTo(192);
            assertThat(served.getHeight()).isEqualTo(192);
        } finally {
            origin.stop(0);
        }
    }
}
