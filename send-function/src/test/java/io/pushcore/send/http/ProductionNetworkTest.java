package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.DEV_KEY;
import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.bucket;
import static io.pushcore.send.http.SendApiTest.bucketRequest;
import static io.pushcore.send.http.SendApiTest.dataContext;
import static io.pushcore.send.http.SendApiTest.receiver;
import static io.pushcore.send.http.SendApiTest.vapidCredential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With production's network policy, loopback callback URLs and push endpoints are refused (SSRF). */
@QuarkusTest
@TestProfile(ProductionNetworkTest.DenyPrivate.class)
class ProductionNetworkTest {

    public static class DenyPrivate extends InProcessAws {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("send.network.allow-private", "false");
        }
    }

    @Test
    void refusesACallbackUrlOnAPrivateAddress() {
        api().body(Map.of("providerCredentials", List.of(vapidCredential()), "callbackConfig",
                Map.of("type", "http", "payload", Map.of("url", "http://127.0.0.1:9000/hook"))))
                .post("/v1/bucket").then().statusCode(400)
                .body("errors", hasItem(startsWith("callbackConfig.payload.url: ")));
    }

    @Test
    void failsReceiversWithAForbiddenEndpointAlone() {
        String[] bucket = bucket(DEV_KEY);
        String contextId = dataContext(bucket[0], Map.of("title", "hi"));
        try (FakeWebPushServer browser = new FakeWebPushServer()) {
            Subscriber keys = browser.subscribe();
            api().body(Map.of("receivers", List.of(receiver(bucket[1], browser.origin() + "/push/1", keys, "a"),
                    receiver(bucket[1], "https://10.0.0.7/push/2", keys, "b"))))
                    .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(200)
                    .body("results", hasSize(2))
                    // one check, on the sending thread, by the transport: nothing is resolved before the fan-out
                    .body("results[0].errors[0]", equalTo("FORBIDDEN_ENDPOINT: URL must use https"))
                    .body("results[1].errors[0]",
                            equalTo("FORBIDDEN_ENDPOINT: host resolves to a private address"));
            assertThat(browser.received()).isEmpty();
        }
    }

    @Test
    void acceptsOnlyGooglesTokenEndpointInServiceAccounts() {
        Map<String, Object> local = MobileCredentials.serviceAccount("local-token-uri");
        Map<String, Object> google = MobileCredentials.serviceAccount("google-token-uri");
        google.put("token_uri", "https://oauth2.googleapis.com/token");
        api().body(bucketRequest(Map.of("type", "fcm_v1", "payload", local))).post("/v1/bucket").then()
                .statusCode(400)
                .body("errors[0]", startsWith("providerCredentials[0].payload.token_uri: must be Google's"));
        api().body(bucketRequest(Map.of("type", "fcm_v1", "payload", google))).post("/v1/bucket").then()
                .statusCode(200);
    }

    @Test
    void acceptsOnlyHuaweisUrlsInHmsCredentials() {
        Map<String, Object> local = ProviderFakes.hms().credential("400000001");
        api().body(bucketRequest(Map.of("type", "hms", "payload", local))).post("/v1/bucket").then()
                .statusCode(400)
                .body("errors", hasSize(1))
                .body("errors", hasItem(startsWith("providerCredentials[0].payload.pushUrl: must be an https URL on "
                        + "a Huawei host")));
        api().body(bucketRequest(Map.of("type", "hms", "payload", Map.of("appId", "400000002", "appSecret", "s",
                "pushUrl", "https://push-api.cloud.huawei.com/v1")))).post("/v1/bucket").then().statusCode(200);
    }

    @Test
    void stillAcceptsPublicHttpsCallbacks() {
        api().body(Map.of("providerCredentials", List.of(vapidCredential()), "callbackConfig",
                Map.of("type", "http", "payload", Map.of("url", "https://8.8.8.8/hook"))))
                .post("/v1/bucket").then().statusCode(200);
        api().body(bucketRequest(vapidCredential())).post("/v1/bucket").then().statusCode(200);
    }
}
