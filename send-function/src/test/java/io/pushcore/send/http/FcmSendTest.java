package io.pushcore.send.http;

import static io.pushcore.send.http.ApnsSendTest.bucket;
import static io.pushcore.send.http.ApnsSendTest.send;
import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.dataContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pushcore.send.support.CdnUrls;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.testing.fcm.FakeFcmServer;
import io.pushcore.testing.fcm.FakeFcmServer.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** FCM through the API to a local FCM endpoint that runs the service account's OAuth flow and records each body. */
@QuarkusTest
@TestProfile(InProcessAws.class)
class FcmSendTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String token(String name) {
        return name + "-" + UUID.randomUUID();
    }

    private static Map<String, Object> receiver(String[] bucket, String token) {
        return Map.of("credentialId", bucket[1], "token", token, "type", "fcm/android", "project", "demo");
    }

    @Test
    void sendsTheDataMessageTheAndroidSdkParses() throws Exception {
        FakeFcmServer fcm = ProviderFakes.fcm();
        String[] bucket = bucket(MobileCredentials.fcm("exact-project"));
        String contextId = dataContext(bucket[0], Map.ofEntries(Map.entry("title", "Hello"),
                Map.entry("body", "World"), Map.entry("icon", CdnUrls.ICON),
                Map.entry("smallIcon", CdnUrls.SMALL_ICON),
                Map.entry("image", CdnUrls.IMAGE), Map.entry("badgeMobile", 7),
                Map.entry("behaviour", "https://example.com"), Map.entry("behaviourAndroid", "app://example/deep"),
                Map.entry("externalData", "{\"x\":1}"), Map.entry("ttl", 3600),
                Map.entry("actions", List.of(Map.of("action", "open", "title", "Open", "icon",
                        CdnUrls.ACTION_ICON, "behaviour", "https://example.com/a")))));
        String token = token("exact");

        JsonPath reply = send(bucket, contextId, List.of(Map.of("credentialId", bucket[1], "token", token,
                "foreignId", "user-42", "type", "fcm/android")));

        assertThat(reply.getList("results[0].errors")).isEmpty();
        FakeFcmServer.Request request = fcm.requestsFor(token).getFirst();
        assertThat(request.projectId()).isEqualTo("exact-project");
        assertThat(request.authorization()).startsWith("Bearer ya29.fake-");
        String ppg = """
                {"messageId":"%s","contextId":"%s",\
                "foreignId":"user-42","title":"Hello","body":"World","icon":"%3$s",\
                "image":"%4$s","smallIcon":"%5$s",\
                "actions":[{"action":"open","title":"Open","actionUrl":"https://example.com/a",\
                "icon":"%6$s"}],"defaultAction":"app://example/deep","badge":7,\
                "channelName":"default","externalData":"{\\"x\\":1}"}"""
                .formatted(reply.getString("results[0].messageId"), contextId, CdnUrls.ICON, CdnUrls.IMAGE,
                        CdnUrls.SMALL_ICON, CdnUrls.ACTION_ICON);
        JsonNode body = request.json();
        assertThat(ttlSeconds(body)).isBetween(3500L, 3600L);
        assertThat(body).isEqualTo(JSON.readTree("""
                {"message":{"token":"%s","android":{"priority":"high"},"data":{"_ppg":%s}}}"""
                .formatted(token, JSON.writeValueAsString(ppg))));
    }

    @Test
    void sendsSilentMessagesWithNormalPriority() throws Exception {
        String[] bucket = bucket(MobileCredentials.fcm("silent-project"));
        String token = token("silent");

        String messageId = api().body(Map.of("receiver", receiver(bucket, token),
                "metadata", Map.of("externalData", "sync", "ttl", 120)))
                .post("/v1/bucket/" + bucket[0] + "/send/silent").then().statusCode(200).extract().path("messageId");

        JsonNode body = ProviderFakes.fcm().requestsFor(token).getFirst().json();
        assertThat(ttlSeconds(body)).isBetween(100L, 120L);
        String silent = body.path("message").path("data").path("_silent").asText();
        assertThat(JSON.readTree(silent).path("messageId").asText()).isEqualTo(messageId);
        assertThat(JSON.readTree(silent).path("externalData").asText()).isEqualTo("sync");
        assertThat(body).isEqualTo(JSON.readTree("""
                {"message":{"token":"%s","android":{"priority":"normal"},"data":{"_silent":%s}}}"""
                .formatted(token, JSON.writeValueAsString(silent))));
    }

    @Test
    void reportsDeadTokensUnregisteredAndRetriesTransientErrors() {
        FakeFcmServer fcm = ProviderFakes.fcm();
        String[] bucket = bucket(MobileCredentials.fcm("outcomes-project"));
        String contextId = dataContext(bucket[0], Map.of("title", "t"));
        String gone = token("gone");
        String malformed = token("malformed");
        String unavailable = token("unavailable");
        String internal = token("internal");
        String fine = token("fine");
        fcm.script(gone, Reply.unregistered());
        fcm.script(malformed, Reply.invalidToken());
        fcm.script(unavailable, Reply.unavailable());
        fcm.script(internal, Reply.internal(), Reply.internal());

        JsonPath reply = send(bucket, contextId, List.of(receiver(bucket, fine), receiver(bucket, gone),
                receiver(bucket, malformed), receiver(bucket, unavailable), receiver(bucket, internal)));

        assertThat(reply.getList("results[0].errors")).isEmpty();
        assertThat(reply.getList("results[1].errors", String.class)).singleElement().asString()
                .startsWith("UNREGISTERED: FCM 404 UNREGISTERED");
        assertThat(reply.getList("results[2].errors", String.class)).singleElement().asString()
                .startsWith("UNREGISTERED: FCM 400 INVALID_ARGUMENT");
        assertThat(reply.getList("results[3].errors")).isEmpty();
        assertThat(reply.getList("results[4].errors")).isEmpty();
        assertThat(fcm.requestsFor(fine)).hasSize(1);
        assertThat(fcm.requestsFor(gone)).hasSize(1);
        assertThat(fcm.requestsFor(malformed)).hasSize(1);
        assertThat(fcm.requestsFor(unavailable)).hasSize(2);
        assertThat(fcm.requestsFor(internal)).hasSize(3);
    }

    @Test
    void waitsForRetryAfterWhenTheQuotaIsExceeded() {
        FakeFcmServer fcm = ProviderFakes.fcm();
        String[] bucket = bucket(MobileCredentials.fcm("quota-project"));
        String contextId = dataContext(bucket[0], Map.of("title", "t"));
        String throttled = token("throttled");
        fcm.script(throttled, Reply.quotaExceeded(Duration.ofSeconds(1)));

        long start = System.nanoTime();
        JsonPath reply = send(bucket, contextId, List.of(receiver(bucket, throttled)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(reply.getList("results[0].errors")).isEmpty();
        assertThat(fcm.requestsFor(throttled)).hasSize(2);
        // the retry waited for the provider's Retry-After, not only the 20 ms test backoff
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void failsAllReceiversOfARejectedCredentialAfterOneRequest() {
        FakeFcmServer fcm = ProviderFakes.fcm();
        String[] bucket = bucket(MobileCredentials.fcm("rejected-project"));
        String contextId = dataContext(bucket[0], Map.of("title", "t"));
        List<Map<String, Object>> receivers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String token = token("auth-" + i);
            fcm.script(token, Reply.thirdPartyAuthError());
            receivers.add(receiver(bucket, token));
        }

        JsonPath reply = send(bucket, contextId, receivers);

        List<String> errors = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            assertThat(reply.getList("results[" + i + "].errors", String.class)).as("receiver %d", i)
                    .singleElement().asString()
                    // Over the test's HTTP/1.1 transport the JDK drops a 401's body, so the reason names the status only.
                    .startsWith("CREDENTIAL_REJECTED: FCM refused the credential: FCM ");
            errors.add(reply.getString("results[" + i + "].errors[0]"));
        }
        assertThat(errors).filteredOn(e -> e.contains("; not sent: FCM refused this credential")).hasSize(39);
        assertThat(projectRequests(fcm, "rejected-project")).isEqualTo(1);

        send(bucket, contextId, receivers.subList(0, 3));
        assertThat(projectRequests(fcm, "rejected-project")).isEqualTo(1);
    }

    @Test
    void failsReceiversWithoutATokenOrOfAnotherPlatformAlone() {
        String[] bucket = bucket(MobileCredentials.fcm("mismatch-project"));
        String contextId = dataContext(bucket[0], Map.of("title", "t"));

        JsonPath reply = send(bucket, contextId, List.of(Map.of("credentialId", bucket[1], "type", "fcm/android"),
                Map.of("credentialId", bucket[1], "token", token("ios"), "type", "apns/ios"),
                Map.of("credentialId", bucket[1], "endpoint", "https://push.example/x"),
                receiver(bucket, token("ok"))));

        assertThat(reply.getList("results[0].errors", String.class)).containsExactly(
                "INVALID_TOKEN: receivers[0].token: is required for an fcm_v1 credential");
        assertThat(reply.getList("results[1].errors", String.class)).containsExactly(
                "INVALID_TOKEN: receivers[1].type: apns/ios receivers cannot use an fcm_v1 credential");
        assertThat(reply.getList("results[2].errors", String.class)).singleElement().asString()
                .startsWith("INVALID_TOKEN: receivers[2].endpoint: ");
        assertThat(reply.getList("results[3].errors")).isEmpty();
    }

    private static long projectRequests(FakeFcmServer fcm, String project) {
        return fcm.requests().stream().filter(r -> r.projectId().equals(project)).count();
    }

    // FCM's TTL counts from the moment of sending, so only its range is known in advance.
    private static long ttlSeconds(JsonNode body) {
        ObjectNode android = (ObjectNode) body.path("message").path("android");
        String ttl = android.remove("ttl").asText();
        assertThat(ttl).matches("\\d+s");
        return Long.parseLong(ttl.substring(0, ttl.length() - 1));
    }
}
