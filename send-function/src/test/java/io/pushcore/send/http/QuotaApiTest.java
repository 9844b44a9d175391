package io.pushcore.send.http;

import static io.pushcore.send.http.AdminTokensTest.ADMIN_KEY;
import static io.pushcore.send.http.AdminTokensTest.BUCKET;
import static io.pushcore.send.http.AdminTokensTest.addToken;
import static io.pushcore.send.http.AdminTokensTest.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Per-token quotas through the admin API, and what a client over its quota sees. */
@QuarkusTest
@TestProfile(InProcessAws.class)
class QuotaApiTest {

    static final long MINUTE = 60_000;

    @Inject
    TestClock clock;

    @Inject
    MeterRegistry metrics;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** Moves the clock 1 s into a fresh window of {@code interval} ms, so a test never straddles two windows. */
    void startOfAWindow(long interval) {
        long now = clock.millis();
        clock.advance(Duration.ofMillis(interval - now % interval + 1_000));
    }

    static JsonPath setLimit(String apiToken, String useCase, Object quota, Object interval) {
        return as(ADMIN_KEY).body(Map.of("apiToken", apiToken, "useCaseName", useCase, "quota", quota,
                "interval", interval)).post("/v1/admin/token/rate-limit").then().statusCode(200).extract().jsonPath();
    }

    double refusals(String useCase) {
        Counter counter = metrics.find("pushcore.quota.refusals").tag("use_case", useCase).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void setsReadsAndRemovesATokensLimitsByIdOrWholeKey() {
        JsonPath added = addToken("quota-crud");
        String tokenId = added.getString("tokenId");
        setLimit(tokenId, "send_receivers", 100_000, MINUTE);
        JsonPath set = setLimit(added.getString("token"), "bucket_creation", 10, 3_600_000);
        assertThat(set.getString("tokenId")).isEqualTo(tokenId);
        assertThat(set.getString("tenant")).isEqualTo("quota-crud");

        as(ADMIN_KEY).get("/v1/admin/token/" + tokenId + "/rate-limits").then().statusCode(200)
                .body("limits.useCaseName", contains("bucket_creation", "send_receivers"))
                .body("limits[1].quota", equalTo(100_000)).body("limits[1].interval", equalTo(60_000));
        // setting again replaces
        setLimit(tokenId, "send_receivers", 5, MINUTE);
        as(ADMIN_KEY).get("/v1/admin/token/" + tokenId + "/rate-limits").then().statusCode(200)
                .body("limits", hasSize(2)).body("limits[1].quota", equalTo(5));

        as(ADMIN_KEY).delete("/v1/admin/token/" + tokenId + "/rate-limits/send_receivers").then().statusCode(200)
                .body("limits.useCaseName", contains("bucket_creation"));
        as(ADMIN_KEY).delete("/v1/admin/token/" + tokenId + "/rate-limits/send_receivers").then().statusCode(404)
                .body("errors[0]", containsString("useCaseName"));
        as(ADMIN_KEY).delete("/v1/admin/token/" + tokenId + "/rate-limits/bucket_creation").then().statusCode(200)
                .body("limits", empty());

        as(ADMIN_KEY).get("/v1/admin/token/00000000000000000000/rate-limits").then().statusCode(404)
                .body("errors[0]", containsString("tokenId"));
        as(ADMIN_KEY).body(Map.of("apiToken", "00000000000000000000", "useCaseName", "send_requests", "quota", 1,
                "interval", MINUTE)).post("/v1/admin/token/rate-limit").then().statusCode(404)
                .body("errors[0]", containsString("apiToken"));
        // admin key only
        as(added.getString("token")).get("/v1/admin/token/" + tokenId + "/rate-limits").then().statusCode(403);
        as(added.getString("token")).body(Map.of("apiToken", tokenId, "useCaseName", "send_requests", "quota", 1,
                "interval", MINUTE)).post("/v1/admin/token/rate-limit").then().statusCode(403);
    }

    @Test
    void refusesBadLimitsNamingEachField() {
        String tokenId = addToken("quota-bad").getString("tokenId");
        List<Object[]> cases = List.of(
                new Object[] { "useCaseName", Map.of("apiToken", tokenId, "useCaseName", "emails", "quota", 1,
                        "interval", MINUTE) },
                new Object[] { "quota", Map.of("apiToken", tokenId, "useCaseName", "send_requests", "quota", 0,
                        "interval", MINUTE) },
                new Object[] { "quota", Map.of("apiToken", tokenId, "useCaseName", "send_requests", "quota", 1.5,
                        "interval", MINUTE) },
                new Object[] { "quota", Map.of("apiToken", tokenId, "useCaseName", "send_requests",
                        "quota", 100_000_001, "interval", MINUTE) },
                new Object[] { "interval", Map.of("apiToken", tokenId, "useCaseName", "send_requests", "quota", 1,
                        "interval", 999) },
                new Object[] { "interval", Map.of("apiToken", tokenId, "useCaseName", "send_requests", "quota", 1,
                        "interval", 86_400_001) },
                new Object[] { "apiToken", Map.of("useCaseName", "send_requests", "quota", 1, "interval", MINUTE) },
                new Object[] { "quota", Map.of("apiToken", tokenId, "useCaseName", "send_requests", "quota", "lots",
                        "interval", MINUTE) });
        for (Object[] c : cases) {
            as(ADMIN_KEY).body(c[1]).post("/v1/admin/token/rate-limit").then().statusCode(400)
                    .body("message", notNullValue())
                    .body("errors[0]", startsWith((String) c[0]));
        }
        as(ADMIN_KEY).delete("/v1/admin/token/" + tokenId + "/rate-limits/emails").then().statusCode(400)
                .body("errors[0]", containsString("useCaseName: must be one of bucket_creation, context_creation, "
                        + "send_requests, send_receivers"));
    }

    @Test
    void overItsQuotaATokenGets429WithRetryAfterWhileAnotherTenantCarriesOn() {
        String noisy = addToken("quota-noisy").getString("token");
        JsonPath quietToken = addToken("quota-quiet");
        String quiet = quietToken.getString("token");
        setLimit(noisy, "bucket_creation", 2, MINUTE);
        setLimit(quiet, "bucket_creation", 2, MINUTE);
        startOfAWindow(MINUTE);
        double before = refusals("bucket_creation");

        as(noisy).body(BUCKET).post("/v1/bucket").then().statusCode(200);
        as(noisy).body(BUCKET).post("/v1/bucket").then().statusCode(200);
        Response refused = as(noisy).body(BUCKET).post("/v1/bucket");
        refused.then().statusCode(429).body("message", equalTo("quota exceeded"))
                .body("errors[0]", containsString("bucket_creation"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(refusals("bucket_creation")).isEqualTo(before + 1);

        // another tenant's token with the same limit, and a bootstrap key (no quotas), are not affected
        as(quiet).body(BUCKET).post("/v1/bucket").then().statusCode(200);
        as(quiet).body(BUCKET).post("/v1/bucket").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            as("pushcore-dev-key").body(BUCKET).post("/v1/bucket").then().statusCode(200);
        }
        as(quiet).body(BUCKET).post("/v1/bucket").then().statusCode(429);

        // the next window admits again
        clock.advance(Duration.ofSeconds(retryAfter));
        as(noisy).body(BUCKET).post("/v1/bucket").then().statusCode(200);
    }

    @Test
    void receiversCountOneEachAndARequestLargerThanTheQuotaIsA400() {
        JsonPath added = addToken("quota-bulk");
        String key = added.getString("token");
        String bucketId = as(key).body(BUCKET).post("/v1/bucket").then().statusCode(200).extract().path("bucketId");
        String contextId = as(key).body(Map.of("title", "t", "body", "b", "behaviour", "https://example.com"))
                .post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(200).extract().path("contextId");
        setLimit(key, "send_receivers", 5, MINUTE);
        setLimit(key, "context_creation", 1, MINUTE);
        startOfAWindow(MINUTE);
        double before = refusals("send_receivers");

        as(key).body(sendTo(3)).post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then()
                .statusCode(200).body("results", hasSize(3));
        as(key).body(sendTo(3)).post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then()
                .statusCode(429).body("errors[0]", containsString("send_receivers"));
        as(key).body(sendTo(2)).post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then()
                .statusCode(200);
        assertThat(refusals("send_receivers")).isEqualTo(before + 1);
        as(key).body(sendTo(6)).post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then()
                .statusCode(400).body("errors", hasItem(containsString("receivers: 6 exceed")));

        as(key).body(Map.of("externalData", "x")).post("/v1/bucket/" + bucketId + "/context/silent").then()
                .statusCode(200);
        as(key).body(Map.of("externalData", "x")).post("/v1/bucket/" + bucketId + "/context/silent").then()
                .statusCode(429).header("Retry-After", notNullValue());
    }

    /** Receivers whose credential the bucket does not have: each fails alone, the request is a normal 200. */
    static Map<String, Object> sendTo(int receivers) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < receivers; i++) {
            list.add(Map.of("credentialId", "not-a-credential", "token", "device-" + i, "foreignId", "u" + i));
        }
        return Map.of("receivers", list);
    }
}
