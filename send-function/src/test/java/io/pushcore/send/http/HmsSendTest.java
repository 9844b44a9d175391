package io.pushcore.send.http;

import static io.pushcore.send.http.ApnsSendTest.bucket;
import static io.pushcore.send.http.ApnsSendTest.send;
import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.bucketRequest;
import static io.pushcore.send.http.SendApiTest.dataContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pushcore.send.support.CdnUrls;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.testing.hms.FakeHmsServer;
import io.pushcore.testing.hms.FakeHmsServer.Reply;
import io.pushcore.testing.sdk.AndroidSdk;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Huawei Push Kit through the API to a local Push Kit whose OAuth endpoint checks the app's secret and whose send
 * endpoint checks the access token, the body shape and the token list; and {@code fcm_legacy} receivers refused.
 */
@QuarkusTest
@TestProfile(InProcessAws.class)
class HmsSendTest {

    private static String token(String name) {
        return name + "-" + UUID.randomUUID();
    }

    private static Map<String, Object> receiver(String[] bucket, String token) {
        return Map.of("credentialId", bucket[1], "token", token, "type", "hms/android", "project", "ignored");
    }

    @Test
    void sendsTheDataMessageTheAndroidSdkParsesOnHuaweiDevices() {
        FakeHmsServer hms = ProviderFakes.hms();
        String[] bucket = bucket(MobileCredentials.hms("200000001"));
        String contextId = dataContext(bucket[0], Map.ofEntries(Map.entry("title", "Hello"),
                Map.entry("body", "World"), Map.entry("icon", CdnUrls.ICON), Map.entry("badge", 4),
                Map.entry("behaviour", "https://example.com"), Map.entry("behaviourAndroid", "app://android"),
                Map.entry("behaviourHuawei", "app://huawei"), Map.entry("externalData", "{\"x\":1}"),
                Map.entry("ttl", 3600), Map.entry("actions", List.of(Map.of("action", "open", "title", "Open"),
                        Map.of("action", "web", "title", "Web", "behaviour", "https://example.com/w")))));
        String token = token("huawei");

        JsonPath reply = send(bucket, contextId, List.of(Map.of("credentialId", bucket[1], "token", token,
                "foreignId", "user-7", "type", "hms/android")));

        assertThat(reply.getList("results[0].errors")).isEmpty();
        FakeHmsServer.Request request = hms.requestsFor(token).getFirst();
        assertThat(request.appId()).isEqualTo("200000001");
        assertThat(request.authorization()).matches("Bearer hms-at-\\d+-200000001");
        assertThat(request.tokens()).containsExactly(token);
        String ttl = request.json().path("message").path("android").path("ttl").asText();
        assertThat(Long.parseLong(ttl.replace("s", ""))).isBetween(3500L, 3600L);
        AndroidSdk.RemotePpgMessage m = (AndroidSdk.RemotePpgMessage) AndroidSdk.fromHms(
                request.json().path("message").path("data").asText());
        assertThat(m.messageId()).hasToString(reply.getString("results[0].messageId"));
        assertThat(m.contextId()).hasToString(contextId);
        assertThat(m.foreignId()).isEqualTo("user-7");
        assertThat(m.icon()).isEqualTo(CdnUrls.ICON);
        assertThat(m.badge()).isEqualTo(4);
        assertThat(m.defaultAction()).isEqualTo("app://huawei");
        assertThat(m.actions()).containsExactly(new AndroidSdk.Action("open", "Open", "app://huawei", null),
                new AndroidSdk.Action("web", "Web", "https://example.com/w", null));
        assertThat(m.externalData()).isEqualTo("{\"x\":1}");
    }

    @Test
    void sendsSilentMessagesAndReusesTheAccessToken() {
        FakeHmsServer hms = ProviderFakes.hms();
        String[] bucket = bucket(MobileCredentials.hms("200000002"));
        for (int i = 0; i < 3; i++) {
            String token = token("silent");
            String messageId = api().body(Map.of("receiver", receiver(bucket, token),
                    "metadata", Map.of("externalData", "sync-" + i, "ttl", 120)))
                    .post("/v1/bucket/" + bucket[0] + "/send/silent").then().statusCode(200)
                    .body("errors", org.hamcrest.Matchers.empty()).extract().path("messageId");

            JsonNode data = hms.requestsFor(token).getFirst().data();
            AndroidSdk.SilentPpgMessage m = (AndroidSdk.SilentPpgMessage) AndroidSdk.fromHms(data.toString());
            assertThat(m.messageId()).hasToString(messageId);
            assertThat(m.externalData()).isEqualTo("sync-" + i);
        }
        assertThat(hms.tokenRequests("200000002")).isEqualTo(1);
    }

    @Test
    void reportsInvalidTokensUnregisteredAndRetriesFlowControlAndInternalErrors() {
        FakeHmsServer hms = ProviderFakes.hms();
        String[] bucket = bucket(MobileCredentials.hms("200000003"));
        String contextId = dataContext(bucket[0], Map.of("title", "t"));
        String fine = token("fine");
        String invalid = token("invalid");
        String throttled = token("throttled");
        String internal = token("internal");
        hms.script(invalid, Reply.INVALID_TOKEN);
        hms.script(throttled, Reply.FLOW_CONTROL);
        hms.script(internal, Reply.INTERNAL_ERROR, Reply.INTERNAL_ERROR);

        JsonPath reply = send(bucket, contextId, List.of(receiver(bucket, fine), receiver(bucket, invalid),
                receiver(bucket, throttled), receiver(bucket, internal)));

        assertThat(reply.getList("results[0].errors")).isEmpty();
        assertThat(reply.getList("results[1].errors", String.class)).containsExactly(
                "UNREGISTERED: Push Kit 80300007: the token is not valid for this app");
        assertThat(reply.getList("results[2].errors")).isEmpty();
        assertThat(reply.getList("results[3].errors")).isEmpty();
        assertThat(hms.requestsFor(fine)).hasSize(1);
        assertThat(hms.requestsFor(invalid)).hasSize(1);
        assertThat(hms.requestsFor(throttled)).hasSize(2);
        assertThat(hms.requestsFor(internal)).hasSize(3);
        assertThat(hms.tokenRequests("200000003")).isEqualTo(1);
    }

    @Test
    void replacesAnAccessTokenPushKitNoLongerTakes() {
        FakeHmsServer hms = ProviderFakes.hms();
        String[] bucket = bucket(MobileCredentials.hms("200000007"));
        String contextId = dataContext(bucket[0], Map.of("title", "t"));
        String expired = token("expired");
        hms.script(expired, Reply.ACCESS_TOKEN_EXPIRED);

        JsonPath reply = send(bucket, contextId, List.of(receiver(bucket, expired)));

        assertThat(reply.getList("results[0].errors")).isEmpty();
        assertThat(hms.requestsFor(expired)).extracting(FakeHmsServer.Request::authorization).hasSize(2)
                .doesNotHaveDuplicates();
        assertThat(hms.tokenRequests("200000007")).isEqualTo(2);
    }

    @Test
    void failsAllReceiversOfARefusedCredentialAfterOneRequest() {
        FakeHmsServer hms = ProviderFakes.hms();
        Map<String, Object> payload = new java.util.HashMap<>(ProviderFakes.hms().credential("200000004"));
        payload.put("appSecret", "not-the-secret");
        String[] bucket = bucket(Map.of("type", "hms", "payload", payload));
        String contextId = dataContext(bucket[0], Map.of("title", "t"));
        List<Map<String, Object>> receivers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            receivers.add(receiver(bucket, token("refused-" + i)));
        }

        JsonPath reply = send(bucket, contextId, receivers);

        for (int i = 0; i < 20; i++) {
            assertThat(reply.getString("results[" + i + "].errors[0]")).as("receiver %d", i)
                    .startsWith("CREDENTIAL_REJECTED: Push Kit refused the credential: Huawei OAuth 400: "
                            + "invalid client")
                    .doesNotContain("not-the-secret");
        }
        assertThat(hms.tokenRequests("200000004")).isEqualTo(1);
        assertThat(hms.requests().stream().filter(r -> r.appId().equals("200000004"))).isEmpty();
    }

    @Test
    void failsReceiversWithoutATokenOrOfAnotherPlatformAlone() {
        String[] bucket = bucket(MobileCredentials.hms("200000005"));
        String contextId = dataContext(bucket[0], Map.of("title", "t"));

        JsonPath reply = send(bucket, contextId, List.of(Map.of("credentialId", bucket[1], "type", "hms/android"),
                Map.of("credentialId", bucket[1], "token", token("fcm"), "type", "fcm/android"),
                receiver(bucket, token("ok"))));

        assertThat(reply.getList("results[0].errors", String.class)).containsExactly(
                "INVALID_TOKEN: receivers[0].token: is required for an hms credential");
        assertThat(reply.getList("results[1].errors", String.class)).containsExactly(
                "INVALID_TOKEN: receivers[1].type: fcm/android receivers cannot use an hms credential");
        assertThat(reply.getList("results[2].errors")).isEmpty();
    }

    @Test
    void refusesReceiversOfALegacyFcmCredentialSayingWhatReplacesIt() {
        JsonPath bucket = api().body(bucketRequest(Map.of("type", "fcm_legacy", "payload",
                Map.of("senderId", "123", "authorizationKey", "AAAA-legacy")), MobileCredentials.hms("200000006")))
                .post("/v1/bucket").then().statusCode(200).extract().jsonPath();
        String bucketId = bucket.getString("bucketId");
        String contextId = dataContext(bucketId, Map.of("title", "t"));

        JsonPath reply = send(new String[] { bucketId }, contextId, List.of(
                Map.of("credentialId", bucket.getString("credentials[0].id"), "token", "legacy-token",
                        "type", "fcm/android"),
                Map.of("credentialId", bucket.getString("credentials[1].id"), "token", token("hms"))));

        assertThat(reply.getString("results[0].errors[0]")).isEqualTo("CREDENTIAL_REJECTED: receivers[0]."
                + "credentialId: an fcm_legacy credential cannot send: Google shut the legacy FCM HTTP API down in "
                + "2024; create the bucket with an fcm_v1 credential (the project's service-account JSON)");
        assertThat(reply.getList("results[1].errors")).isEmpty();
    }
}
