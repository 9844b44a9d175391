package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.bucketRequest;
import static io.pushcore.send.http.SendApiTest.dataContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.eatthepath.pushy.apns.server.RejectionReason;

import io.pushcore.send.support.CdnUrls;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.testing.apns.FakeApnsServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** APNs through the API to pushy's mock server (TLS, token authentication verified like APNs). */
@QuarkusTest
@TestProfile(InProcessAws.class)
class ApnsSendTest {

    private static final String APP = ProviderFakes.APP_BUNDLE_ID;

    /** Creates a bucket with one credential; returns {bucketId, credentialId}. */
    static String[] bucket(Map<String, Object> credential) {
        JsonPath reply = api().body(bucketRequest(credential)).post("/v1/bucket").then().statusCode(200).extract()
                .jsonPath();
        return new String[] { reply.getString("bucketId"), reply.getString("credentials[0].id") };
    }

    static JsonPath send(String[] bucket, String contextId, List<Map<String, Object>> receivers) {
        return api().body(Map.of("receivers", receivers))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void deliversTheIosPayloadAndHeadersApnsExpects() {
        FakeApnsServer apns = ProviderFakes.apns();
        String[] bucket = bucket(MobileCredentials.apnsToken());
        Instant expiresAt = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String contextId = dataContext(bucket[0], Map.ofEntries(Map.entry("title", "Hello"),
                Map.entry("body", "World"), Map.entry("subtitle", "Sub"),
                Map.entry("icon", CdnUrls.ICON), Map.entry("image", CdnUrls.IMAGE),
                Map.entry("badgeMobile", 7), Map.entry("channelName", "news"),
                Map.entry("behaviour", "https://example.com"), Map.entry("behaviourIos", "app://example/deep"),
                Map.entry("externalData", "{\"x\":1}"), Map.entry("soundIos", "ping.caf"),
                Map.entry("expiresAt", expiresAt.toString()),
                Map.entry("actions", List.of(Map.of("action", "open", "title", "Open", "icon",
                        CdnUrls.ACTION_ICON, "behaviour", "https://example.com/a")))));
        String token = MobileCredentials.apnsDeviceToken();
        apns.register(APP, token);

        JsonPath reply = send(bucket, contextId, List.of(Map.of("credentialId", bucket[1], "token", token,
                "foreignId", "user-42", "type", "apns/ios", "appBundleId", APP)));

        assertThat(reply.getList("results[0].errors")).isEmpty();
        String messageId = reply.getString("results[0].messageId");
        FakeApnsServer.Received received = apns.receivedFor(token).getFirst();
        assertThat(received.payload()).isEqualTo("""
                {"aps":{"alert":{"title":"Hello","subtitle":"Sub","body":"World"},"badge":7,"sound":"ping.caf",\
                "category":"news","mutable-content":1},\
                "messageId":"%s","contextId":"%s",\
                "foreignId":"user-42","externalData":"{\\"x\\":1}","channelName":"news",\
                "icon":"%3$s","image":"%4$s",\
                "url":"app://example/deep",\
                "actions":"[{\\"icon\\":\\"%5$s\\",\\"action\\":\\"open\\",\\"title\\":\\"Open\\",\
                \\"url\\":\\"https://example.com/a\\"}]"}""".formatted(messageId, contextId,
                        CdnUrls.ICON, CdnUrls.IMAGE, CdnUrls.ACTION_ICON));
        assertThat(received.headers())
                .containsEntry(":method", "POST")
                .containsEntry(":path", "/3/device/" + token)
                .containsEntry("apns-topic", APP)
                .containsEntry("apns-push-type", "alert")
                .containsEntry("apns-priority", "10")
                .containsEntry("apns-expiration", String.valueOf(expiresAt.getEpochSecond()))
                .containsEntry("apns-id", messageId)
                .doesNotContainKey("apns-collapse-id");
        assertThat(received.headers().get("authorization")).startsWith("bearer ");
    }

    @Test
    void deliversSilentPushesAsBackgroundAndSafariPushesToTheWebsiteTopic() {
        FakeApnsServer apns = ProviderFakes.apns();
        String[] bucket = bucket(MobileCredentials.apnsToken());
        String iosToken = MobileCredentials.apnsDeviceToken();
        String safariToken = MobileCredentials.apnsDeviceToken();
        apns.register(APP, iosToken);
        apns.register(ProviderFakes.WEBSITE_PUSH_ID, safariToken);

        String messageId = api().body(Map.of("receiver", Map.of("credentialId", bucket[1], "token", iosToken),
                "metadata", Map.of("externalData", "sync"))).post("/v1/bucket/" + bucket[0] + "/send/silent").then()
                .statusCode(200).extract().path("messageId");
        String contextId = dataContext(bucket[0], Map.of("title", "Hello", "body", "World"));
        JsonPath safari = send(bucket, contextId, List.of(Map.of("credentialId", bucket[1], "token", safariToken,
                "type", "apns/safari", "websitePushId", ProviderFakes.WEBSITE_PUSH_ID)));

        FakeApnsServer.Received silent = apns.receivedFor(iosToken).getFirst();
        assertThat(silent.payload()).matches("""
                \\{"aps":\\{"content-available":1},"silent":"1","messageId":"%s",\
                "contextId":"[0-9a-f-]{36}","externalData":"sync"}""".formatted(messageId));
        assertThat(silent.headers()).containsEntry("apns-topic", APP).containsEntry("apns-push-type", "background")
                .containsEntry("apns-priority", "5");
        assertThat(safari.getList("results[0].errors")).isEmpty();
        FakeApnsServer.Received website = apns.receivedFor(safariToken).getFirst();
        assertThat(website.headers()).containsEntry("apns-topic", ProviderFakes.WEBSITE_PUSH_ID);
        assertThat(website.payload()).isEqualTo("""
                {"aps":{"alert":{"title":"Hello","body":"World"},"url-args":[]},"messageId":"%s","contextId":"%s"}"""
                .formatted(safari.getString("results[0].messageId"), contextId));
    }

    @Test
    void reportsDeadTokensUnregisteredAndRetriesUnavailability() {
        FakeApnsServer apns = ProviderFakes.apns();
        String[] bucket = bucket(MobileCredentials.apnsToken());
        String contextId = dataContext(bucket[0], Map.of("title", "t"));
        String bad = MobileCredentials.apnsDeviceToken();
        String gone = MobileCredentials.apnsDeviceToken();
        String busy = MobileCredentials.apnsDeviceToken();
        String notForTopic = MobileCredentials.apnsDeviceToken();
        apns.register(APP, bad, busy);
        apns.unregister(APP, gone, Instant.parse("2026-01-01T00:00:00Z"));
        apns.script(bad, RejectionReason.BAD_DEVICE_TOKEN);
        apns.script(busy, RejectionReason.SERVICE_UNAVAILABLE);

        JsonPath reply = send(bucket, contextId, List.of(receiver(bucket, bad), receiver(bucket, gone),
                receiver(bucket, busy), receiver(bucket, notForTopic),
                Map.of("credentialId", bucket[1], "token", "not-hex")));

        assertThat(reply.getList("results[0].errors", String.class)).singleElement().asString()
                .startsWith("UNREGISTERED: APNs 400 BadDeviceToken");
        assertThat(reply.getList("results[1].errors", String.class)).singleElement().asString()
                .startsWith("UNREGISTERED: APNs 410 Unregistered").contains("token inactive since 2026-01-01");
        assertThat(reply.getList("results[2].errors")).isEmpty();
        assertThat(reply.getList("results[3].errors", String.class)).singleElement().asString()
                .startsWith("UNREGISTERED: APNs 400 DeviceTokenNotForTopic");
        assertThat(reply.getList("results[4].errors", String.class)).singleElement().asString()
                .startsWith("INVALID_TOKEN: ");
        assertThat(apns.receivedFor(bad)).hasSize(1);
        assertThat(apns.receivedFor(gone)).hasSize(1);
        assertThat(apns.receivedFor(busy)).extracting(FakeApnsServer.Received::rejection)
                .containsExactly("SERVICE_UNAVAILABLE", null);
    }

    @Test
    void failsReceiversWithoutATokenOrWithWebPushFieldsAlone() {
        String[] bucket = bucket(MobileCredentials.apnsToken());
        String contextId = dataContext(bucket[0], Map.of("title", "t"));
        String token = MobileCredentials.apnsDeviceToken();
        ProviderFakes.apns().register(APP, token);

        JsonPath reply = send(bucket, contextId, List.of(Map.of("credentialId", bucket[1]),
                Map.of("credentialId", bucket[1], "endpoint", "https://push.example/x", "p256dh", "B", "auth", "a"),
                Map.of("credentialId", bucket[1], "token", token, "type", "fcm/android"),
                receiver(bucket, token)));

        assertThat(reply.getList("results[0].errors", String.class)).containsExactly(
                "INVALID_TOKEN: receivers[0].token: is required for an apns_token credential");
        assertThat(reply.getList("results[1].errors", String.class)).singleElement().asString()
                .startsWith("INVALID_TOKEN: receivers[1].endpoint: ");
        assertThat(reply.getList("results[2].errors", String.class)).singleElement().asString()
                .startsWith("INVALID_TOKEN: receivers[2].type: ");
        assertThat(reply.getList("results[3].errors")).isEmpty();
    }

    @Test
    void failsAllReceiversOfARejectedCredentialAfterOneRequest() {
        FakeApnsServer apns = ProviderFakes.apns();
        String[] bucket = bucket(MobileCredentials.apnsTokenUnknownToApns());
        String contextId = dataContext(bucket[0], Map.of("title", "t"));
        List<String> tokens = new ArrayList<>();
        List<Map<String, Object>> receivers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String token = MobileCredentials.apnsDeviceToken();
            apns.register(APP, token);
            tokens.add(token);
            receivers.add(receiver(bucket, token));
        }

        JsonPath reply = send(bucket, contextId, receivers);

        List<String> errors = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            assertThat(reply.getList("results[" + i + "].errors", String.class)).as("receiver %d", i)
                    .singleElement().asString().startsWith("CREDENTIAL_REJECTED: APNs refused the credential: "
                            + "APNs 403 InvalidProviderToken");
            errors.add(reply.getString("results[" + i + "].errors[0]"));
        }
        assertThat(errors).filteredOn(e -> e.contains("; not sent: APNs refused this credential")).hasSize(49);
        assertThat(tokens.stream().mapToInt(t -> apns.receivedFor(t).size()).sum()).isEqualTo(1);

        send(bucket, contextId, receivers.subList(0, 5));
        assertThat(tokens.stream().mapToInt(t -> apns.receivedFor(t).size()).sum()).isEqualTo(1);
    }

    static Map<String, Object> receiver(String[] bucket, String token) {
        return Map.of("credentialId", bucket[1], "token", token, "type", "apns/ios");
    }
}
