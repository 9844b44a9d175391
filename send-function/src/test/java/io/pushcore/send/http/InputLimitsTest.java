package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.bucket;
import static io.pushcore.send.http.SendApiTest.vapidCredential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pushcore.send.support.InProcessAws;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * Every client-supplied value that could hurt other tenants or overflow has a bound: oversized or unsendable callback
 * fields, huge ttls and far expiries, long action ids all answer 400 naming the field, and the service keeps
 * answering.
 */
@QuarkusTest
@TestProfile(InProcessAws.class)
class InputLimitsTest {

    static final String HOOK = "http://127.0.0.1:9/hook";
    static final String SECRET_MESSAGE = "must be a Standard Webhooks key: whsec_ followed by the standard base64 "
            + "(with padding) of 24 to 64 random bytes";

    static String secret(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    static Map<String, String> headers(int count, int valueLength) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            headers.put("x-h" + i, "v".repeat(valueLength));
        }
        return headers;
    }

    static ValidatableResponse createBucket(Map<String, Object> callbackPayload) {
        return api().body(Map.of("providerCredentials", List.of(vapidCredential()),
                "callbackConfig", Map.of("type", "http", "payload", callbackPayload))).post("/v1/bucket").then();
    }

    @Test
    void refusesCallbackFieldsOverTheirBoundsNamingEachFieldWithoutEchoingSecrets() {
        Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("url", HOOK + "/" + "p".repeat(2048)),
                "callbackConfig.payload.url: must be at most 2048 characters");
        cases.put(Map.of("url", HOOK, "headers", headers(21, 1)),
                "callbackConfig.payload.headers: must be at most 20 headers");
        cases.put(Map.of("url", HOOK, "headers", headers(9, 1000)),
                "callbackConfig.payload.headers: names and values together must be at most 8192 bytes");
        cases.put(Map.of("url", HOOK, "headers", Map.of("x-long", "v".repeat(1025))),
                "callbackConfig.payload.headers.x-long: must be at most 1024 characters");
        cases.put(Map.of("url", HOOK, "headers", Map.of("x-inject", "secret-value\r\nX-Evil: 1")),
                "callbackConfig.payload.headers.x-inject: must not contain control characters (CR, LF, NUL…) or "
                        + "characters outside ISO-8859-1");
        cases.put(Map.of("url", HOOK, "headers", Map.of("x bad name", "v")),
                "callbackConfig.payload.headers: every name must be an HTTP token (letters, digits and "
                        + "!#$%&'*+-.^_`|~) of at most 64 characters");
        cases.put(Map.of("url", HOOK, "secret", "a-raw-signing-password"), "callbackConfig.payload.secret: "
                + SECRET_MESSAGE);
        cases.put(Map.of("url", HOOK, "secret", secret(16)), "callbackConfig.payload.secret: " + SECRET_MESSAGE);
        cases.put(Map.of("url", HOOK, "secret", secret(65)), "callbackConfig.payload.secret: " + SECRET_MESSAGE);

        cases.forEach((payload, error) -> {
            String body = createBucket(payload).statusCode(400).body("message", equalTo("invalid bucket"))
                    .body("errors", contains(error)).extract().asString();
            assertThat(body).doesNotContain("secret-value", "a-raw-signing-password");
        });
        createBucket(Map.of("url", HOOK)).statusCode(200);
    }

    @Test
    void acceptsACallbackAtItsLimits() {
        Map<String, String> headers = headers(7, 1024);
        headers.put("x-" + "n".repeat(62), "tab\tseparated");

        String bucketId = createBucket(Map.of("url", HOOK + "/" + "p".repeat(2048 - HOOK.length() - 1),
                "headers", headers, "secret", secret(64))).statusCode(200).extract().path("bucketId");

        api().body(Map.of("title", "t")).post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(200);
    }

    @Test
    void refusesTtlsAndExpiriesItCannotComputeNamingTheFieldAndKeepsAnswering() {
        String[] bucket = bucket(SendApiTest.DEV_KEY);
        String base = "/v1/bucket/" + bucket[0];
        Map<String, String> receiver = Map.of("credentialId", bucket[1], "token", "t");
        long overflowing = 32_000_000_000_000_000L;
        String farFuture = "+999999999-12-31T23:59:59Z";
        String ttlError = "ttl: must be at most 2419200 seconds (28 days)";
        String expiresError = "expiresAt: must be at most 28 days ahead";

        api().body(Map.of("title", "t", "ttl", overflowing)).post(base + "/context/data").then().statusCode(400)
                .body("errors", contains(ttlError));
        api().body(Map.of("ttl", Long.toString(overflowing))).post(base + "/context/silent").then().statusCode(400)
                .body("errors", contains(ttlError));
        api().body(Map.of("receiver", receiver, "metadata", Map.of("title", "t", "ttl", overflowing)))
                .post(base + "/send").then().statusCode(400).body("errors", contains("metadata." + ttlError));
        api().body(Map.of("receiver", receiver, "metadata", Map.of("ttl", overflowing)))
                .post(base + "/send/silent").then().statusCode(400).body("errors", contains("metadata." + ttlError));
        api().body(Map.of("title", "t", "ttl", 2_419_201)).post(base + "/context/data").then().statusCode(400)
                .body("errors", contains(ttlError));
        api().body(Map.of("title", "t", "ttl", new BigInteger("100000000000000000000")))
                .post(base + "/context/data").then().statusCode(400).body("errors", contains("ttl: is out of range"));

        api().body(Map.of("title", "t", "expiresAt", farFuture)).post(base + "/context/data").then()
                .statusCode(400).body("errors", contains(expiresError));
        api().body(Map.of("receiver", receiver, "metadata", Map.of("expiresAt", farFuture, "ttl", overflowing)))
                .post(base + "/send/silent").then().statusCode(400)
                .body("errors", contains("metadata." + ttlError, "metadata." + expiresError));

        api().body(Map.of("title", "t", "ttl", 2_419_200)).post(base + "/context/data").then().statusCode(200);
        api().body(Map.of("receiver", receiver, "metadata", Map.of("title", "t", "ttl", 60)))
                .post(base + "/send").then().statusCode(200);
    }

    @Test
    void refusesActionIdsLongerThanAClickMayReportBack() {
        String[] bucket = bucket(SendApiTest.DEV_KEY);

        api().body(Map.of("title", "t", "actions", List.of(Map.of("action", "a".repeat(129), "title", "A"))))
                .post("/v1/bucket/" + bucket[0] + "/context/data").then().statusCode(400)
                .body("errors", contains("actions[0].action: size must be between 0 and 128"));
        api().body(Map.of("title", "t", "actions", List.of(Map.of("action", "a".repeat(128), "title", "A"))))
                .post("/v1/bucket/" + bucket[0] + "/context/data").then().statusCode(200);
    }
}
