package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.bucketRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.model.RawContent;
import io.pushcore.send.storage.StateStore;
import io.pushcore.send.storage.StoredContext;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.send.support.PushServiceHosts;
import io.pushcore.send.support.TestClock;
import io.pushcore.testing.apns.FakeApnsServer;
import io.pushcore.testing.fcm.FakeFcmServer;
import io.pushcore.testing.hms.FakeHmsServer;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.pushcore.testing.webpush.FakeWebPushServer.VapidKeyStrings;
import io.pushcore.testing.webpush.ReceivedPush;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Raw contexts (CORE's beta {@code context/raw} and {@code send/raw}) through the API to every local provider:
 * browsers are told apart by their push service's host ({@link PushServiceHosts} resolves the real hosts to the
 * local push service, which decrypts what it receives), and mobile pushes are read as APNs, FCM and Push Kit got
 * them.
 */
@QuarkusTest
@TestProfile(InProcessAws.class)
class RawContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static FakeWebPushServer pushService;

    @Inject
    StateStore store;

    @Inject
    TestClock clock;

    @BeforeAll
    static void start() {
        pushService = new FakeWebPushServer();
    }

    @AfterAll
    static void stop() {
        pushService.close();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** A bucket with vapid, apns_token, fcm_v1 and hms credentials, in that order: {bucketId, credential ids…}. */
    private static String[] bucket(String hmsAppId) {
        VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        JsonPath reply = api().body(bucketRequest(
                Map.of("type", "vapid", "payload", Map.of("publicKey", vapid.publicKey(), "privateKey",
                        vapid.privateKey())),
                MobileCredentials.apnsToken(), MobileCredentials.fcm("raw-project"),
                MobileCredentials.hms(hmsAppId)))
                .post("/v1/bucket").then().statusCode(200).extract().jsonPath();
        List<String> ids = reply.getList("credentials.id");
        return new String[] { reply.getString("bucketId"), ids.get(0), ids.get(1), ids.get(2), ids.get(3) };
    }

    private static String rawContext(String bucketId, Map<String, Object> body) {
        return api().body(body).post("/v1/bucket/" + bucketId + "/context/raw").then().statusCode(200)
                .extract().path("contextId");
    }

    private static Map<String, Object> web(String credentialId, Subscriber s, String foreignId) {
        return Map.of("credentialId", credentialId, "endpoint", s.endpoint(), "p256dh", s.p256dh(), "auth", s.auth(),
                "foreignId", foreignId, "type", "vapid");
    }

    private static Map<String, Object> mobile(String credentialId, String token, String type, String foreignId) {
        return Map.of("credentialId", credentialId, "token", token, "type", type, "foreignId", foreignId);
    }

    private static JsonNode decrypted(Subscriber subscriber) throws Exception {
        ReceivedPush push = pushService.received(subscriber).getFirst();
        assertThat(push.decrypted()).as(push.decryptionProblem()).isTrue();
        assertThat(push.vapidVerified()).as(push.vapidProblem()).isTrue();
        return JSON.readTree(push.plaintext());
    }

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static void assertIds(JsonNode ids, String messageId, String contextId, String foreignId) {
        assertThat(ids.path("messageId").asText()).isEqualTo(messageId);
        assertThat(ids.path("contextId").asText()).isEqualTo(contextId);
        assertThat(ids.path("foreignId").asText()).isEqualTo(foreignId);
    }

    @Test
    void deliversEachPlatformItsOwnObjectInOneSend() throws Exception {
        FakeApnsServer apns = ProviderFakes.apns();
        FakeFcmServer fcm = ProviderFakes.fcm();
        FakeHmsServer hms = ProviderFakes.hms();
        String[] bucket = bucket("400000001");
        String contextId = rawContext(bucket[0], Map.of(
                "common", Map.of("title", "Common title", "body", "Common body", "iconUrl",
                        "https://example.com/icon.png", "data", Map.of("k", "common"), "ttl", 3600),
                "chromium", Map.of("title", "Chrome", "body", "for Chrome", "data", Map.of("k", "chrome"),
                        "defaultAction", "https://example.com/chrome", "requireInteraction", true),
                "firefox", Map.of("title", "Firefox"),
                "safariVapid", Map.of("title", "Safari", "actions", List.of(Map.of("action", "go", "title", "Go"))),
                "ios", Map.of("aps", Map.of("alert", Map.of("title", "iOS", "body", "for iOS"), "sound", "default"),
                        "custom", "x"),
                "safari", Map.of("aps", Map.of("alert", Map.of("title", "Legacy", "body", "for Safari"))),
                "android", Map.of("notification", Map.of("title", "Android", "channelId", "news", "color",
                        "#112233"), "data", Map.of("k", "android"), "priority", "normal"),
                "huawei", Map.of("notification", Map.of("title", "Huawei", "body", "for Huawei", "click_action",
                        Map.of("type", 1, "intent", "app://open")), "biTag", "campaign-1", "data", "hw")));

        Subscriber chrome = pushService.subscribeAt(PushServiceHosts.CHROME);
        Subscriber firefox = pushService.subscribeAt(PushServiceHosts.FIREFOX);
        Subscriber safari = pushService.subscribeAt(PushServiceHosts.SAFARI);
        Subscriber edge = pushService.subscribeAt(PushServiceHosts.EDGE);
        Subscriber other = pushService.subscribe();
        String iosToken = MobileCredentials.apnsDeviceToken();
        String safariToken = MobileCredentials.apnsDeviceToken();
        apns.register(ProviderFakes.APP_BUNDLE_ID, iosToken);
        apns.register(ProviderFakes.WEBSITE_PUSH_ID, safariToken);
        String androidToken = "raw-android-" + UUID.randomUUID();
        String huaweiToken = "raw-huawei-" + UUID.randomUUID();

        JsonPath reply = api().body(Map.of("receivers", List.of(
                web(bucket[1], chrome, "chrome"), web(bucket[1], firefox, "firefox"),
                web(bucket[1], safari, "safari"), web(bucket[1], edge, "edge"), web(bucket[1], other, "other"),
                mobile(bucket[2], iosToken, "apns/ios", "ios"),
                Map.of("credentialId", bucket[2], "token", safariToken, "type", "apns/safari", "websitePushId",
                        ProviderFakes.WEBSITE_PUSH_ID, "foreignId", "legacy"),
                mobile(bucket[3], androidToken, "fcm/android", "android"),
                mobile(bucket[4], huaweiToken, "hms/android", "huawei"))))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(200)
                .extract().jsonPath();
        for (int i = 0; i < 9; i++) {
            assertThat(reply.getList("results[" + i + "].errors")).as("receiver %d", i).isEmpty();
        }

        JsonNode toChrome = decrypted(chrome);
        assertThat(toChrome.path("title").asText()).isEqualTo("Chrome");
        assertThat(toChrome.path("body").asText()).isEqualTo("for Chrome");
        assertThat(toChrome.path("icon").asText()).isEqualTo("https://example.com/icon.png");
        assertThat(toChrome.path("requireInteraction").asBoolean()).isTrue();
        assertThat(toChrome.path("data").path("k").asText()).isEqualTo("chrome");
        assertThat(toChrome.path("data").path("actionsMap").path("default").asText())
                .isEqualTo("https://example.com/chrome");
        assertIds(toChrome.path("data"), reply.getString("results[0].messageId"), contextId, "chrome");

        JsonNode toFirefox = decrypted(firefox);
        assertThat(toFirefox.path("title").asText()).isEqualTo("Firefox");
        assertThat(toFirefox.path("body").asText()).as("common's, the object has none").isEqualTo("Common body");
        assertThat(toFirefox.path("data").path("k").asText()).isEqualTo("common");
        assertIds(toFirefox.path("data"), reply.getString("results[1].messageId"), contextId, "firefox");

        JsonNode toSafari = decrypted(safari);
        assertThat(toSafari.path("title").asText()).isEqualTo("Safari");
        assertThat(toSafari.path("actions")).isEqualTo(tree("[{\"action\":\"go\",\"title\":\"Go\"}]"));
        assertIds(toSafari.path("data"), reply.getString("results[2].messageId"), contextId, "safari");

        for (Subscriber commonOnly : List.of(edge, other)) {
            JsonNode toOther = decrypted(commonOnly);
            assertThat(toOther.path("title").asText()).isEqualTo("Common title");
            assertThat(toOther.path("body").asText()).isEqualTo("Common body");
            assertThat(toOther.path("data").path("k").asText()).isEqualTo("common");
            assertThat(toOther.path("data").path("actionsMap").isObject()).isTrue();
        }

        FakeApnsServer.Received toIos = apns.receivedFor(iosToken).getFirst();
        JsonNode iosPayload = JSON.readTree(toIos.payload());
        assertThat(iosPayload.path("aps"))
                .isEqualTo(tree("{\"alert\":{\"title\":\"iOS\",\"body\":\"for iOS\"},\"sound\":\"default\"}"));
        assertThat(iosPayload.path("custom").asText()).isEqualTo("x");
        assertThat(iosPayload.path("icon").asText()).isEqualTo("https://example.com/icon.png");
        assertThat(iosPayload.path("data").path("k").asText()).isEqualTo("common");
        assertIds(iosPayload, reply.getString("results[5].messageId"), contextId, "ios");
        assertThat(toIos.headers()).containsEntry("apns-push-type", "alert").containsEntry("apns-priority", "10")
                .containsEntry("apns-topic", ProviderFakes.APP_BUNDLE_ID);

        FakeApnsServer.Received toLegacy = apns.receivedFor(safariToken).getFirst();
        assertThat(toLegacy.headers()).containsEntry("apns-topic", ProviderFakes.WEBSITE_PUSH_ID);
        assertThat(JSON.readTree(toLegacy.payload()).path("aps"))
                .isEqualTo(tree("{\"alert\":{\"title\":\"Legacy\",\"body\":\"for Safari\"},\"url-args\":[]}"));

        JsonNode toAndroid = fcm.requestsFor(androidToken).getFirst().json().path("message");
        assertThat(toAndroid.path("data").path("k").asText()).isEqualTo("android");
        assertIds(toAndroid.path("data"), reply.getString("results[7].messageId"), contextId, "android");
        JsonNode androidConfig = toAndroid.path("android");
        assertThat(androidConfig.path("priority").asText()).isEqualTo("normal");
        assertThat(androidConfig.path("notification").path("title").asText()).isEqualTo("Android");
        assertThat(androidConfig.path("notification").path("channel_id").asText()).isEqualTo("news");
        assertThat(androidConfig.path("notification").path("color").asText()).isEqualTo("#112233");
        assertThat(androidConfig.path("notification").has("body"))
                .as("the object's notification replaces common's whole").isFalse();
        assertThat(Long.parseLong(androidConfig.path("ttl").asText().replace("s", ""))).isBetween(3500L, 3600L);

        FakeHmsServer.Request toHuawei = hms.requestsFor(huaweiToken).getFirst();
        JsonNode hmsAndroid = toHuawei.json().path("message").path("android");
        assertThat(hmsAndroid.path("bi_tag").asText()).isEqualTo("campaign-1");
        assertThat(hmsAndroid.path("notification").path("title").asText()).isEqualTo("Huawei");
        assertThat(hmsAndroid.path("notification").path("click_action").path("intent").asText())
                .isEqualTo("app://open");
        assertThat(toHuawei.data().path("data").asText()).isEqualTo("hw");
        assertIds(toHuawei.data(), reply.getString("results[8].messageId"), contextId, "huawei");
    }

    @Test
    void givesEveryPlatformCommonWhenTheContextHasNothingElse() throws Exception {
        FakeApnsServer apns = ProviderFakes.apns();
        FakeFcmServer fcm = ProviderFakes.fcm();
        FakeHmsServer hms = ProviderFakes.hms();
        String[] bucket = bucket("400000002");
        String contextId = rawContext(bucket[0], Map.of("common", Map.of("title", "Only common", "body", "b",
                "imageUrl", "https://example.com/image.png", "collapseKey", "news-1", "data", "opaque")));
        Subscriber chrome = pushService.subscribeAt(PushServiceHosts.CHROME);
        String iosToken = MobileCredentials.apnsDeviceToken();
        apns.register(ProviderFakes.APP_BUNDLE_ID, iosToken);
        String androidToken = "common-android-" + UUID.randomUUID();
        String huaweiToken = "common-huawei-" + UUID.randomUUID();

        JsonPath reply = api().body(Map.of("receivers", List.of(web(bucket[1], chrome, "c"),
                mobile(bucket[2], iosToken, "apns/ios", "i"), mobile(bucket[3], androidToken, "fcm/android", "a"),
                mobile(bucket[4], huaweiToken, "hms/android", "h"))))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(200)
                .extract().jsonPath();
        for (int i = 0; i < 4; i++) {
            assertThat(reply.getList("results[" + i + "].errors")).as("receiver %d", i).isEmpty();
        }

        JsonNode toChrome = decrypted(chrome);
        assertThat(toChrome.path("title").asText()).isEqualTo("Only common");
        assertThat(toChrome.path("image").asText()).isEqualTo("https://example.com/image.png");
        assertThat(toChrome.path("tag").asText()).isEqualTo("news-1");
        assertThat(toChrome.path("data").path("externalData").asText()).isEqualTo("opaque");

        FakeApnsServer.Received toIos = apns.receivedFor(iosToken).getFirst();
        JsonNode ios = JSON.readTree(toIos.payload());
        assertThat(ios.path("aps"))
                .isEqualTo(tree("{\"alert\":{\"title\":\"Only common\",\"body\":\"b\"},\"mutable-content\":1}"));
        assertThat(ios.path("image").asText()).isEqualTo("https://example.com/image.png");
        assertThat(ios.path("data").asText()).isEqualTo("opaque");
        assertThat(toIos.headers()).containsEntry("apns-collapse-id", "news-1");

        JsonNode android = fcm.requestsFor(androidToken).getFirst().json().path("message");
        assertThat(android.path("data").path("data").asText()).isEqualTo("opaque");
        assertThat(android.path("android").path("collapse_key").asText()).isEqualTo("news-1");
        assertThat(android.path("android").path("priority").asText()).isEqualTo("high");
        assertThat(android.path("android").path("notification").path("title").asText()).isEqualTo("Only common");
        assertThat(android.path("android").path("notification").path("image").asText())
                .isEqualTo("https://example.com/image.png");

        FakeHmsServer.Request huawei = hms.requestsFor(huaweiToken).getFirst();
        JsonNode notification = huawei.json().path("message").path("android").path("notification");
        assertThat(notification.path("title").asText()).isEqualTo("Only common");
        assertThat(notification.path("click_action").path("type").asInt()).isEqualTo(3);
        assertThat(huawei.data().path("data").asText()).isEqualTo("opaque");
    }

    @Test
    void sendsOneRawMessageAndKeepsTheContextLikeAnyOther() throws Exception {
        String[] bucket = bucket("400000003");
        Subscriber firefox = pushService.subscribeAt(PushServiceHosts.FIREFOX);
        Map<String, Object> metadata = Map.of("common", Map.of("title", "One", "ttl", 120),
                "firefox", Map.of("body", "just once"));

        String messageId = api().body(Map.of("receiver", web(bucket[1], firefox, "one"), "metadata", metadata))
                .post("/v1/bucket/" + bucket[0] + "/send/raw").then().statusCode(200)
                .body("errors", empty()).extract().path("messageId");

        JsonNode received = decrypted(firefox);
        assertThat(received.path("title").asText()).isEqualTo("One");
        assertThat(received.path("body").asText()).isEqualTo("just once");
        assertThat(received.path("data").path("messageId").asText()).isEqualTo(messageId);
        assertThat(Long.parseLong(pushService.received(firefox).getFirst().header("TTL"))).isBetween(100L, 120L);
        StoredContext stored = store.findContext(UUID.fromString(bucket[0]),
                UUID.fromString(received.path("data").path("contextId").asText()))
                .orElseThrow();
        assertThat(stored.kind()).isEqualTo("raw");
        assertThat(stored.ttlSeconds()).isEqualTo(120L);
        RawContent content = (RawContent) stored.content();
        assertThat(content.firefox().toString()).isEqualTo("{\"body\":\"just once\"}");
        assertThat(content.common().path("title").asText()).isEqualTo("One");
    }

    @Test
    void expiresARawContextAtItsExpiresAt() {
        String[] bucket = bucket("400000004");
        String contextId = rawContext(bucket[0], Map.of("common", Map.of("title", "t", "expiresAt",
                clock.instant().plus(Duration.ofHours(1)).toString())));
        clock.advance(Duration.ofHours(1).plusMinutes(1));
        Subscriber s = pushService.subscribe();
        api().body(Map.of("receivers", List.of(web(bucket[1], s, "late"))))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(410)
                .body("errors[0]", startsWith("contextId: context " + contextId + " expired at"));
    }

    @Test
    void refusesWhatItCannotSendNamingTheField() {
        String[] bucket = bucket("400000005");
        String path = "/v1/bucket/" + bucket[0] + "/context/raw";
        Map<Map<String, Object>, String> cases = Map.ofEntries(
                Map.entry(Map.of("chromium", "x"), "chromium: must be an object"),
                Map.entry(Map.of("common", Map.of("title", 1)), "common.title: must be a string"),
                Map.entry(Map.of("common", Map.of("subtitle", "s")), "common.subtitle: not a field of common"),
                Map.entry(Map.of("common", Map.of("data", Map.of("messageId", "m"))),
                        "common.data.messageId: is set by pushcore"),
                Map.entry(Map.of("ios", Map.of("contextId", "c")), "ios.contextId: is set by pushcore"),
                Map.entry(Map.of("ios", Map.of("actions", "[]")), "ios.actions: is the CORE iOS SDK's own key"),
                Map.entry(Map.of("edge", Map.of("ttl", 60)), "edge.ttl: set ttl and expiresAt in common"),
                Map.entry(Map.of("chromium", Map.of("actions", List.of(Map.of("action", "a")))),
                        "chromium.actions[0].title: is required"),
                Map.entry(Map.of("firefox", Map.of("renotify", true)), "firefox.renotify: needs a tag"),
                Map.entry(Map.of("safariVapid", Map.of("silent", true, "vibrate", List.of(100))),
                        "safariVapid.vibrate: cannot be combined with silent: true"),
                Map.entry(Map.of("android", Map.of("fcmOptions", Map.of())), "android.fcmOptions: not supported"),
                Map.entry(Map.of("android", Map.of("notification", Map.of("color", "red"))),
                        "android.notification.color: must be #rrggbb"),
                Map.entry(Map.of("huawei", Map.of("collapseKey", 500)), "huawei.collapseKey: must be -1, 0"),
                Map.entry(Map.of("chromium", Map.of("body", "x".repeat(5000))), "chromium: is 50"),
                Map.entry(Map.of("chromium", Map.of("body", "x".repeat(3900))),
                        "context: the web push payload for chromium would be"),
                Map.entry(Map.of("safari", Map.of("aps", Map.of("alert", Map.of("body", "x".repeat(4000))))),
                        "context: the APNs payload for safari would be"),
                Map.entry(Map.of("common", Map.of("ttl", 1.5)), "common.ttl: must be a whole number"),
                Map.entry(Map.of("common", Map.of("expiresAt", "tomorrow")), "common.expiresAt: must be an ISO"),
                Map.entry(Map.of("common", Map.of("expiresAt", Instant.now().minusSeconds(60).toString())),
                        "common.expiresAt: "));
        cases.forEach((body, error) -> api().body(body).post(path).then().statusCode(400)
                .body("message", org.hamcrest.Matchers.notNullValue())
                .body("errors", hasItem(startsWith(error))));

        api().body(Map.of("receiver", Map.of("credentialId", bucket[1], "token", "t"), "metadata",
                Map.of("common", Map.of("ttl", "soon")))).post("/v1/bucket/" + bucket[0] + "/send/raw").then()
                .statusCode(400).body("errors", hasItem(startsWith("metadata.common.ttl: must be a whole number")));
    }
}
