package io.pushcore.send.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.SendAws;
import io.pushcore.send.support.TestClock;
import io.pushcore.testing.aws.InjectLocalAws;
import io.pushcore.testing.aws.LocalAws;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** API tokens as data through the admin API, against the in-process S3 state bucket. */
@QuarkusTest
@TestProfile(InProcessAws.class)
class AdminTokensTest {

    static final String ADMIN_KEY = "pushcore-dev-admin-key";
    static final Map<String, Object> BUCKET = SendApiTest.bucketRequest(SendApiTest.vapidCredential());

    @Inject
    TestClock clock;

    @InjectLocalAws
    LocalAws aws;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static RequestSpecification as(String key) {
        return given().header("authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    static JsonPath addToken(String tenant) {
        return as(ADMIN_KEY).body(Map.of("tenant", tenant)).post("/v1/admin/token").then().statusCode(201)
                .extract().jsonPath();
    }

    @Test
    void tokenLifecycleAddUseListRevokeWithinTheCacheBound() {
        JsonPath added = addToken("acme");
        String key = added.getString("token");
        String tokenId = added.getString("tokenId");
        assertThat(key).startsWith("pct_" + tokenId + "_");
        assertThat(added.getString("tenant")).isEqualTo("acme");

        String bucketId = as(key).body(BUCKET).post("/v1/bucket").then().statusCode(200).extract()
                .path("bucketId");
        // the bucket is the token's tenant's: the dev tenant cannot see it
        as("pushcore-dev-key").body("{\"externalData\":\"x\"}").post("/v1/bucket/" + bucketId + "/context/silent")
                .then().statusCode(404);

        String listed = as(ADMIN_KEY).get("/v1/admin/tenant/acme/tokens").then().statusCode(200)
                .body("tenant", equalTo("acme"))
                .body("tokens.tokenId", hasItem(tokenId))
                .extract().asString();
        // the secret is everything after the id; base64url may itself contain '_'
        assertThat(listed).doesNotContain(key).doesNotContain(key.substring(("pct_" + tokenId + "_").length()));
        // only the hash is stored
        assertThat(aws.s3().getObjectAsBytes(b -> b.bucket(SendAws.STATE_BUCKET)
                .key("admin/tokens/" + tokenId + ".json")).asUtf8String()).doesNotContain(key);

        as(ADMIN_KEY).body(Map.of("token", tokenId)).post("/v1/admin/token/revoke").then().statusCode(200)
                .body("revoked", equalTo(true)).body("tenant", equalTo("acme"));
        as(key).body(BUCKET).post("/v1/bucket").then().statusCode(401);
        as(ADMIN_KEY).get("/v1/admin/tenant/acme/tokens").then().statusCode(200)
                .body("tokens.tokenId", not(hasItem(tokenId)));
        as(ADMIN_KEY).body(Map.of("token", tokenId)).post("/v1/admin/token/revoke").then().statusCode(404)
                .body("errors", hasItem("token: no such token"));
    }

    /**
     * Another instance revokes the token behind this one's back (the record disappears from S3): this instance keeps
     * trusting its cached lookup for at most send.auth.token-cache-ttl (30 s), then answers 401.
     */
    @Test
    void aRevocationElsewhereReachesAWarmInstanceWithinThirtySeconds() {
        JsonPath added = addToken("globex");
        String key = added.getString("token");
        as(key).body(BUCKET).post("/v1/bucket").then().statusCode(200);

        aws.s3().deleteObject(b -> b.bucket(SendAws.STATE_BUCKET)
                .key("admin/tokens/" + added.getString("tokenId") + ".json"));
        // still trusted well inside the bound (15 s of margin for a slow machine), refused once it has passed
        clock.advance(Duration.ofSeconds(15));
        as(key).body(BUCKET).post("/v1/bucket").then().statusCode(200);
        clock.advance(Duration.ofSeconds(16));
        as(key).body(BUCKET).post("/v1/bucket").then().statusCode(401);
    }

    @Test
    void revokesByWholeKeyToo() {
        String key = addToken("initech").getString("token");
        as(ADMIN_KEY).body(Map.of("token", key)).post("/v1/admin/token/revoke").then().statusCode(200);
        as(key).body(BUCKET).post("/v1/bucket").then().statusCode(401);
    }

    @Test
    void adminEndpointsRefuseTenantKeysAndBadKeys() {
        String issued = addToken("umbrella").getString("token");
        for (String tenantKey : List.of("pushcore-dev-key", issued)) {
            as(tenantKey).body(Map.of("tenant", "evil")).post("/v1/admin/token").then().statusCode(403)
                    .body("errors[0]", containsString("admin key"));
            as(tenantKey).get("/v1/admin/tenant/umbrella/tokens").then().statusCode(403);
        }
        as("not-a-key").body(Map.of("tenant", "evil")).post("/v1/admin/token").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("tenant", "evil")).post("/v1/admin/token").then()
                .statusCode(401);
        // the admin key is not a tenant key either
        as(ADMIN_KEY).body(BUCKET).post("/v1/bucket").then().statusCode(401);
    }

    @Test
    void refusesBadTenantNamesNamingTheField() {
        as(ADMIN_KEY).body(Map.of("tenant", "a/b")).post("/v1/admin/token").then().statusCode(400)
                .body("errors[0]", containsString("tenant"));
        as(ADMIN_KEY).body("{}").post("/v1/admin/token").then().statusCode(400)
                .body("errors[0]", containsString("tenant"));
        as(ADMIN_KEY).body(Map.of("token", "")).post("/v1/admin/token/revoke").then().statusCode(400)
                .body("errors[0]", containsString("token"));
    }

    @Test
    void aForgedKeyWithAnIssuedIdIsRefused() {
        String key = addToken("hooli").getString("token");
        String forged = key.substring(0, key.length() - 4) + (key.endsWith("AAAA") ? "BBBB" : "AAAA");
        as(forged).body(BUCKET).post("/v1/bucket").then().statusCode(401);
    }
}
