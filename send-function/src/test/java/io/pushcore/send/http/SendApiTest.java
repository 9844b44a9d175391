package io.pushcore.send.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pushcore.crypto.MessageIds;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.TestClock;
import io.pushcore.testing.aws.InjectLocalAws;
import io.pushcore.testing.core.CoreContract;
import io.pushcore.testing.aws.LocalAws;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Reply;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.pushcore.testing.webpush.FakeWebPushServer.VapidKeyStrings;
import io.pushcore.testing.webpush.ReceivedPush;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The CORE v1 contract of send-function, through HTTP, against in-process S3 and a scripted push endpoint. */
@QuarkusTest
@TestProfile(InProcessAws.class)
class SendApiTest {

    static final String DEV_KEY = "pushcore-dev-key";
    static final String OTHER_TENANT_KEY = "other-tenant-key";

    static FakeWebPushServer pushService;

    @InjectLocalAws
    LocalAws aws;

    @Inject
    TestClock clock;

    @Inject
    MessageIds messageIds;

    @BeforeAll
    static void startPushService() throws Exception {
        pushService = new FakeWebPushServer();
    }

    @AfterAll
    static void stopPushService() {
        pushService.close();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static RequestSpecification api() {
        return api(DEV_KEY);
    }

    static RequestSpecification api(String key) {
        return given().header("x-token", key).contentType(ContentType.JSON);
    }

    static Map<String, Object> vapidCredential() {
        VapidKeyStrings keys = FakeWebPushServer.newVapidKeys();
        return Map.of("type", "vapid", "payload", Map.of("publicKey", keys.publicKey(), "privateKey", keys.privateKey()));
    }

    static Map<String, Object> bucketRequest(Object... credentials) {
        return Map.of("providerCredentials", List.of(credentials), "callbackConfig", Map.of("type", "none"));
    }

    /** Creates a bucket with one VAPID credential; returns {bucketId, credentialId}. */
    static String[] bucket(String key) {
        JsonPath reply = api(key).body(bucketRequest(vapidCredential())).post("/v1/bucket").then().statusCode(200)
                .extract().jsonPath();
        return new String[] { reply.getString("bucketId"), reply.getString("credentials[0].id") };
    }

    static String dataContext(String bucketId, Map<String, Object> body) {
        return api().body(body).post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(200)
                .extract().path("contextId");
    }

    /** A receiver with a subscriber's real keys at another endpoint: for endpoints the network policy refuses. */
    static Map<String, Object> receiver(String credentialId, String endpoint, Subscriber keys, String foreignId) {
        return Map.of("credentialId", credentialId, "endpoint", endpoint, "p256dh", keys.p256dh(), "auth",
                keys.auth(), "foreignId", foreignId);
    }

    static Map<String, Object> receiver(String credentialId, Subscriber subscriber, String foreignId) {
        return Map.of("credentialId", credentialId, "endpoint", subscriber.endpoint(), "p256dh", subscriber.p256dh(),
                "auth", subscriber.auth(),
                "foreignId", foreignId,
                // what the CORE JS SDK adds; must be ignored
                "type", "vapid", "publicKey", "BIgnored", "expirationTime", "null-ish");
    }

    /** Every exchange of these tests is checked against CORE's openapi.json (a Quarkus test callback). */
    @Test
    void checksEveryExchangeAgainstCoresOpenApiDocument() {
        assertThat(io.restassured.RestAssured.filters()).containsExactly(CoreContract.filter());
    }

    @Test
    void answersHelloWithoutAuthentication() {
        // CORE's HelloDto names; the test profile configures only send.hello.email
        given().get("/").then().statusCode(200).body("currentVersion", equalTo("v1"))
                .body("email", equalTo("ops@pushcore.test")).body("$", not(hasKey("github")))
                .body("$", not(hasKey("discord"))).body("docs", equalTo("/q/openapi"));
    }

    @Test
    void servesTheOpenApiDocument() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/bucket/{bucketId}/send"));
    }

    @Test
    void acceptsTheApiKeyInAllThreeHeaderForms() {
        Map<String, Object> body = bucketRequest(vapidCredential());
        given().header("authorization", "token=" + DEV_KEY).contentType(ContentType.JSON).body(body)
                .post("/v1/bucket").then().statusCode(200);
        given().header("authorization", "Bearer " + DEV_KEY).contentType(ContentType.JSON).body(body)
                .post("/v1/bucket").then().statusCode(200);
        given().header("x-token", DEV_KEY).contentType(ContentType.JSON).body(body)
                .post("/v1/bucket").then().statusCode(200);
    }

    @Test
    void refusesMissingOrWrongApiKeysWithTheErrorBody() {
        Map<String, Object> body = bucketRequest(vapidCredential());
        given().contentType(ContentType.JSON).body(body).post("/v1/bucket").then().statusCode(401)
                .body("message", equalTo("unauthorized")).body("errors[0]", containsString("authorization:"));
        given().header("authorization", "token=wrong").contentType(ContentType.JSON).body(body)
                .post("/v1/bucket").then().statusCode(401).body("errors[0]", containsString("not valid"));
        given().header("authorization", "Bearer wrong").contentType(ContentType.JSON).body(body)
                .post("/v1/bucket").then().statusCode(401).body("errors", hasSize(1));
        given().header("x-token", "wrong").contentType(ContentType.JSON).body(body)
                .post("/v1/bucket/" + UUID.randomUUID() + "/context/silent").then().statusCode(401)
                .body("message", equalTo("unauthorized"));
    }

    @Test
    void createsBucketWithCredentialIdsInRequestOrder() {
        JsonPath reply = api().body(bucketRequest(vapidCredential(), vapidCredential())).post("/v1/bucket").then()
                .statusCode(200).extract().jsonPath();
        assertThat(UUID.fromString(reply.getString("bucketId"))).isNotNull();
        assertThat(reply.getList("credentials.type")).containsExactly("vapid", "vapid");
        List<String> ids = reply.getList("credentials.id");
        assertThat(ids).hasSize(2).doesNotHaveDuplicates().allSatisfy(id -> UUID.fromString(id));
    }

    @Test
    void keepsCredentialsAndCallbackSecretsSealedAtRest() {
        VapidKeyStrings keys = FakeWebPushServer.newVapidKeys();
        Map<String, Object> body = Map.of(
                "providerCredentials", List.of(Map.of("type", "vapid", "payload", Map.of("publicKey",
                        keys.publicKey(), "privateKey", keys.privateKey(), "subject", "mailto:ops@example.com"))),
                "callbackConfig", Map.of("type", "http", "payload", Map.of("url", "https://8.8.8.8/hooks/in",
                        "headers", Map.of("x-secret", "hook-header-secret"), "secret", SendEventsTest.SECRET)));
        String bucketId = api().body(body).post("/v1/bucket").then().statusCode(200).extract().path("bucketId");

        String stored = aws.s3().getObjectAsBytes(b -> b.bucket("pushcore-state").key("buckets/" + bucketId + ".json"))
                .asUtf8String();
        assertThat(stored).contains(bucketId, "\"tenant\":\"dev\"", "\"type\":\"vapid\"", "expiresAt")
                .doesNotContain(keys.privateKey(), "hook-header-secret", SendEventsTest.SECRET,
                        SendEventsTest.SECRET.substring(6), "8.8.8.8");
    }

    @Test
    void refusesUnknownCredentialTypesAndIncompleteOnesNamingThem() {
        Map<String, Object> body = bucketRequest(
                Map.of("type", "fcm_legacy", "payload", Map.of("senderId", "1", "authorizationKey", "k")),
                Map.of("type", "hms", "payload", Map.of("appId", "1")),
                Map.of("type", "carrier_pigeon", "payload", Map.of()));
        api().body(body).post("/v1/bucket").then().statusCode(400)
                .body("message", equalTo("invalid bucket"))
                .body("errors", hasSize(2))
                .body("errors", hasItem(startsWith("providerCredentials[1].payload.appSecret: is required")))
                .body("errors", hasItem("providerCredentials[2].type: unknown credential type; expected one of "
                        + "vapid, fcm_v1, fcm_legacy, hms, apns_token, apns_cert"));
    }

    @Test
    void refusesMalformedVapidKeysNamingTheField() {
        VapidKeyStrings keys = FakeWebPushServer.newVapidKeys();
        Map<String, Object> body = bucketRequest(vapidCredential(),
                Map.of("type", "vapid", "payload", Map.of("publicKey", "not-a-key", "privateKey", keys.privateKey())),
                Map.of("type", "vapid", "payload", Map.of("publicKey", keys.publicKey())));
        String reply = api().body(body).post("/v1/bucket").then().statusCode(400)
                .body("errors", hasItem(containsString("providerCredentials[1].payload.publicKey: ")))
                .body("errors", hasItem(containsString("providerCredentials[2].payload.privateKey: ")))
                .extract().asString();
        assertThat(reply).doesNotContain(keys.privateKey());
    }

    @Test
    void refusesBucketsWithoutCredentialsOrCallback() {
        api().body(Map.of("providerCredentials", List.of(), "callbackConfig", Map.of("type", "none")))
                .post("/v1/bucket").then().statusCode(400)
                .body("errors", hasItem(containsString("providerCredentials: size must be between 1")));
        api().body(Map.of("providerCredentials", List.of(vapidCredential()))).post("/v1/bucket").then()
                .statusCode(400).body("errors", hasItem(containsString("callbackConfig: must not be null")));
        api().body(Map.of("providerCredentials", List.of(vapidCredential()), "callbackConfig",
                Map.of("type", "http", "payload", Map.of()))).post("/v1/bucket").then().statusCode(400)
                .body("errors", hasItem(containsString("callbackConfig.payload.url: is required")));
    }

    @Test
    void refusesMalformedJsonAndWrongTypesNamingThePath() {
        String bucketId = bucket(DEV_KEY)[0];
        api().body("{\"title\": ").post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(400)
                .body("message", equalTo("malformed request body"))
                .body("errors[0]", containsString("body: is not valid JSON"));
        api().body(Map.of("title", List.of("x"))).post("/v1/bucket/" + bucketId + "/context/data").then()
                .statusCode(400).body("errors[0]", equalTo("title: must be a string"));
        api().body(Map.of("ttl", "soon")).post("/v1/bucket/" + bucketId + "/context/silent").then()
                .statusCode(400).body("errors[0]", equalTo("ttl: must be an integer"));
        api().body(Map.of("expiresAt", "tomorrow")).post("/v1/bucket/" + bucketId + "/context/silent").then()
                .statusCode(400).body("errors[0]", containsString("expiresAt: must be an ISO-8601 timestamp"));
        api().body(Map.of("receivers", "everyone")).post("/v1/bucket/" + bucketId + "/context/"
                + UUID.randomUUID() + "/send").then().statusCode(400)
                .body("errors[0]", equalTo("receivers: must be an array"));
        api().body(Map.of("receivers", List.of(Map.of("credentialId", List.of(1)))))
                .post("/v1/bucket/" + bucketId + "/context/" + UUID.randomUUID() + "/send").then().statusCode(400)
                .body("errors[0]", equalTo("receivers[0].credentialId: must be a string"));
    }

    @Test
    void acceptsTtlAsNumberOrNumericString() {
        String bucketId = bucket(DEV_KEY)[0];
        api().body(Map.of("title", "t", "ttl", 3600)).post("/v1/bucket/" + bucketId + "/context/data").then()
                .statusCode(200).body("contextId", notNullValue());
        api().body(Map.of("title", "t", "ttl", "3600")).post("/v1/bucket/" + bucketId + "/context/data").then()
                .statusCode(200).body("contextId", notNullValue());
    }

    @Test
    void refusesZeroOrMoreThanAThousandReceivers() {
        String[] bucket = bucket(DEV_KEY);
        String contextId = dataContext(bucket[0], Map.of("title", "hi"));
        String path = "/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send";
        api().body(Map.of("receivers", List.of())).post(path).then().statusCode(400)
                .body("errors[0]", equalTo("receivers: size must be between 1 and 1000"));
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(Map.of("credentialId", bucket[1], "endpoint", pushService.origin() + "/push/none"));
        }
        api().body(Map.of("receivers", many)).post(path).then().statusCode(400)
                .body("errors[0]", equalTo("receivers: size must be between 1 and 1000"));
    }

    @Test
    void refusesOversizeBodiesWith413() {
        String bucketId = bucket(DEV_KEY)[0];
        String huge = "x".repeat(3 * 1024 * 1024);
        api().body(Map.of("title", huge)).post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(413);
    }

    @Test
    void hidesOtherTenantsBucketsAsNotFound() {
        String[] mine = bucket(DEV_KEY);
        api(OTHER_TENANT_KEY).body(Map.of("title", "x")).post("/v1/bucket/" + mine[0] + "/context/data").then()
                .statusCode(404).body("message", equalTo("bucket not found"));
        String contextId = dataContext(mine[0], Map.of("title", "hi"));
        api(OTHER_TENANT_KEY).body(Map.of("receivers", List.of(receiver(mine[1], pushService.subscribe(), "f"))))
                .post("/v1/bucket/" + mine[0] + "/context/" + contextId + "/send").then().statusCode(404);
        api().body(Map.of("title", "x")).post("/v1/bucket/" + UUID.randomUUID() + "/context/data").then()
                .statusCode(404).body("errors[0]", containsString("bucketId:"));
        api().body(Map.of("title", "x")).post("/v1/bucket/not-a-uuid/context/data").then().statusCode(404);
    }

    @Test
    void refusesContextsOfAnotherBucketAsNotFound() {
        String[] first = bucket(DEV_KEY);
        String[] second = bucket(DEV_KEY);
        String contextId = dataContext(first[0], Map.of("title", "hi"));
        api().body(Map.of("receivers", List.of(receiver(second[1], pushService.subscribe(), "f"))))
                .post("/v1/bucket/" + second[0] + "/context/" + contextId + "/send").then().statusCode(404)
                .body("message", equalTo("context not found"));
    }

    @Test
    void answersGoneForAnExpiredBucket() {
        String[] bucket = bucket(DEV_KEY);
        String contextId = dataContext(bucket[0], Map.of("title", "hi"));
        clock.advance(Duration.ofHours(24).plusMinutes(1));
        api().body(Map.of("title", "late")).post("/v1/bucket/" + bucket[0] + "/context/data").then()
                .statusCode(410).body("message", equalTo("bucket expired"))
                .body("errors[0]", containsString("create a new bucket"));
        api().body(Map.of("receivers", List.of(receiver(bucket[1], pushService.subscribe(), "f"))))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(410);
    }

    @Test
    void answersGoneForAContextPastItsExpiresAt() {
        String[] bucket = bucket(DEV_KEY);
        String contextId = dataContext(bucket[0], Map.of("title", "hi", "expiresAt",
                clock.instant().plusSeconds(60).toString()));
        clock.advance(Duration.ofMinutes(2));
        api().body(Map.of("receivers", List.of(receiver(bucket[1], pushService.subscribe(), "f"))))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(410)
                .body("message", equalTo("context expired"));
    }

    /** CORE's campaign pattern: one context with {@code ttl: 60} is reused after its ttl, until its expiresAt. */
    @Test
    void keepsAContextPastItsTtlUntilItsExpiresAt() {
        String[] bucket = bucket(DEV_KEY);
        String contextId = dataContext(bucket[0], Map.of("title", "campaign", "ttl", 60, "expiresAt",
                clock.instant().plus(Duration.ofHours(1)).toString()));
        clock.advance(Duration.ofMinutes(2));
        Subscriber subscriber = pushService.subscribe();
        api().body(Map.of("receivers", List.of(receiver(bucket[1], subscriber, "f"))))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(200)
                .body("results[0].errors", hasSize(0));
        assertThat(pushService.received(subscriber)).singleElement()
                .satisfies(push -> assertThat(push.plaintext()).contains("\"title\":\"campaign\""));
    }

    /** Without expiresAt a context lives as long as its bucket, whatever its ttl. */
    @Test
    void keepsAContextWithoutExpiresAtUntilItsBucketEnds() {
        String[] bucket = bucket(DEV_KEY);
        String contextId = dataContext(bucket[0], Map.of("title", "hi", "ttl", 60));
        clock.advance(Duration.ofHours(23));
        api().body(Map.of("receivers", List.of(receiver(bucket[1], pushService.subscribe(), "f"))))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(200);
        clock.advance(Duration.ofHours(1).plusMinutes(1));
        api().body(Map.of("receivers", List.of(receiver(bucket[1], pushService.subscribe(), "f"))))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(410);
    }

    /** Each push's TTL is the context's ttl, cut to what is left until expiresAt. */
    @Test
    void givesEachPushItsTtlButNeverBeyondExpiresAt() {
        String[] bucket = bucket(DEV_KEY);
        String shortTtl = dataContext(bucket[0], Map.of("title", "a", "ttl", 90, "expiresAt",
                clock.instant().plus(Duration.ofHours(2)).toString()));
        String soonOver = dataContext(bucket[0], Map.of("title", "b", "ttl", 3600, "expiresAt",
                clock.instant().plusSeconds(120).toString()));
        String byDefault = dataContext(bucket[0], Map.of("title", "c"));
        Subscriber first = pushService.subscribe();
        Subscriber second = pushService.subscribe();
        Subscriber third = pushService.subscribe();
        for (Object[] send : new Object[][] { { shortTtl, first }, { soonOver, second }, { byDefault, third } }) {
            api().body(Map.of("receivers", List.of(receiver(bucket[1], (Subscriber) send[1], "f"))))
                    .post("/v1/bucket/" + bucket[0] + "/context/" + send[0] + "/send").then().statusCode(200)
                    .body("results[0].errors", hasSize(0));
        }
        assertThat(ttlHeader(first)).isBetween(60L, 90L);
        assertThat(ttlHeader(second)).isBetween(60L, 120L);
        // no ttl: send.context.default-ttl (24 h)
        assertThat(ttlHeader(third)).isBetween(Duration.ofHours(24).minusMinutes(1).toSeconds(),
                Duration.ofHours(24).toSeconds());
    }

    private static long ttlHeader(Subscriber subscriber) {
        return Long.parseLong(pushService.received(subscriber).getLast().header("TTL"));
    }

    @Test
    void refusesAnExpiresAtInThePast() {
        String bucketId = bucket(DEV_KEY)[0];
        api().body(Map.of("externalData", "x", "expiresAt", Instant.now().minusSeconds(60).toString()))
                .post("/v1/bucket/" + bucketId + "/context/silent").then().statusCode(400)
                .body("errors[0]", containsString("expiresAt: "));
    }

    @Test
    void refusesContextsNoCoreSdkCanShowNamingTheField() {
        String bucketId = bucket(DEV_KEY)[0];
        api().body(Map.of("title", "t", "actions", List.of(Map.of("action", "a", "title", "A"),
                Map.of("action", "b")), "renotify", true, "silent", true, "vibrate", List.of(100)))
                .post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(400)
                .body("message", equalTo("invalid context"))
                .body("errors", hasSize(3))
                .body("errors", hasItem(startsWith("actions[1].title: is required")))
                .body("errors", hasItem(startsWith("renotify: needs a tag")))
                .body("errors", hasItem(startsWith("vibrate: cannot be combined with silent")));
        api().body(Map.of("receiver", Map.of("credentialId", "x"), "metadata", Map.of("title", "t",
                "actions", List.of(Map.of("action", "a", "title", " ")))))
                .post("/v1/bucket/" + bucketId + "/send").then().statusCode(400)
                .body("errors", hasItem(startsWith("metadata.actions[0].title: is required")));
        api().body(Map.of("title", "t", "tag", "news", "renotify", true, "silent", false, "vibrate", List.of(100),
                "actions", List.of(Map.of("action", "a", "title", "A"))))
                .post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(200);
    }

    @Test
    void refusesAContextWhosePayloadCannotFit() {
        String bucketId = bucket(DEV_KEY)[0];
        api().body(Map.of("title", "big", "body", "b".repeat(4000)))
                .post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(400)
                .body("message", equalTo("context payload too large"))
                .body("errors[0]", containsString("context: the web push payload would be"));
    }

    @Test
    void failsBadReceiversAloneAndSendsTheRest() {
        String[] bucket = bucket(DEV_KEY);
        String contextId = dataContext(bucket[0], Map.of("title", "hi", "body", "there"));
        Subscriber a = pushService.subscribe();
        Subscriber b = pushService.subscribe();
        Subscriber c = pushService.subscribe();
        Subscriber d = pushService.subscribe();
        Subscriber f = pushService.subscribe();
        List<Map<String, Object>> receivers = List.of(
                receiver(bucket[1], a, "a"),
                Map.of("credentialId", UUID.randomUUID().toString(), "endpoint", b.endpoint(),
                        "p256dh", b.p256dh(), "auth", b.auth()),
                Map.of("endpoint", c.endpoint(), "p256dh", c.p256dh(), "auth", c.auth()),
                Map.of("credentialId", bucket[1], "endpoint", d.endpoint(), "p256dh", "AAAA", "auth", d.auth()),
                Map.of("credentialId", bucket[1], "p256dh", a.p256dh(), "auth", a.auth()),
                receiver(bucket[1], f, "f"));
        JsonPath reply = api().body(Map.of("receivers", receivers))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(200)
                .extract().jsonPath();

        assertThat(reply.getList("results")).hasSize(6);
        assertThat(reply.getList("results[0].errors")).isEmpty();
        assertThat(reply.getList("results[1].errors", String.class)).singleElement().asString()
                .startsWith("UNKNOWN_CREDENTIAL: receivers[1].credentialId: ");
        assertThat(reply.getList("results[2].errors", String.class)).singleElement().asString()
                .startsWith("UNKNOWN_CREDENTIAL: receivers[2].credentialId: is required");
        assertThat(reply.getList("results[3].errors", String.class)).singleElement().asString()
                .startsWith("INVALID_SUBSCRIPTION: receivers[3].p256dh: ");
        assertThat(reply.getList("results[4].errors", String.class)).singleElement().asString()
                .startsWith("INVALID_SUBSCRIPTION: receivers[4].endpoint: ");
        assertThat(reply.getList("results[5].errors")).isEmpty();
        for (int i = 0; i < 6; i++) {
            assertThat(messageIds.verify(UUID.fromString(contextId),
                    UUID.fromString(reply.getString("results[" + i + "].messageId")))).isTrue();
        }
        assertThat(pushService.received(a)).hasSize(1);
        assertThat(pushService.received(f)).hasSize(1);
        assertThat(List.of(b, c, d)).allSatisfy(never -> assertThat(pushService.received(never)).isEmpty());
    }

    @Test
    void sendsOneShotDataAndSilentMessages() {
        String[] bucket = bucket(DEV_KEY);
        String messageId = api().body(Map.of("receiver", receiver(bucket[1], pushService.subscribe(), "u1"),
                "metadata", Map.of("title", "Hi", "body", "there", "ttl", "120")))
                .post("/v1/bucket/" + bucket[0] + "/send").then().statusCode(200)
                .body("errors", hasSize(0)).extract().path("messageId");
        assertThat(UUID.fromString(messageId)).isNotNull();
        api().body(Map.of("receiver", receiver(bucket[1], pushService.subscribe().respond(410), "u2"),
                "metadata", Map.of("externalData", "{\"k\":1}")))
                .post("/v1/bucket/" + bucket[0] + "/send/silent").then().statusCode(200)
                .body("messageId", notNullValue())
                .body("errors[0]", containsString("UNREGISTERED: "));
        api().body(Map.of("receiver", Map.of("credentialId", bucket[1]), "metadata", Map.of("title", "x")))
                .post("/v1/bucket/" + bucket[0] + "/send").then().statusCode(200)
                .body("errors[0]", containsString("INVALID_SUBSCRIPTION: receiver.endpoint: "));
        api().body(Map.of("receiver", receiver(bucket[1], pushService.subscribe(), "u3"),
                "metadata", Map.of("title", "x", "expiresAt", "2001-01-01T00:00:00Z")))
                .post("/v1/bucket/" + bucket[0] + "/send").then().statusCode(400)
                .body("errors[0]", containsString("metadata.expiresAt: "));
    }

    @Test
    void sendsAThousandReceiversConcurrentlyReportingEachInOrder() {
        String[] bucket = bucket(DEV_KEY);
        String contextId = dataContext(bucket[0], Map.of("title", "bulk"));
        List<Subscriber> subscribers = new ArrayList<>();
        List<Map<String, Object>> receivers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Subscriber subscriber = switch (i % 10) {
                case 0 -> pushService.subscribe().respond(410);
                case 1 -> pushService.subscribe().respond(500, 201);
                case 2 -> pushService.subscribe().respond(503);
                // held briefly, so that a sender that fans out has several requests open at once
                default -> pushService.subscribe().respond(Reply.status(201).after(Duration.ofMillis(20)));
            };
            subscribers.add(subscriber);
            receivers.add(receiver(bucket[1], subscriber, "user-" + i));
        }
        JsonPath reply = api().body(Map.of("receivers", receivers))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(200)
                .extract().jsonPath();

        List<Map<String, Object>> results = reply.getList("results");
        assertThat(results).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            String messageId = (String) results.get(i).get("messageId");
            assertThat(messageIds.verify(UUID.fromString(contextId), UUID.fromString(messageId))).isTrue();
            @SuppressWarnings("unchecked")
            List<String> errors = (List<String>) results.get(i).get("errors");
            List<ReceivedPush> received = pushService.received(subscribers.get(i));
            switch (i % 10) {
                case 0 -> assertThat(errors).singleElement().asString().startsWith("UNREGISTERED: ");
                case 1 -> assertThat(received).hasSize(2);
                case 2 -> {
                    assertThat(errors).singleElement().asString().startsWith("PROVIDER_UNAVAILABLE: ");
                    assertThat(received).hasSizeGreaterThan(1);
                }
                default -> assertThat(errors).as("receiver %d", i).isEmpty();
            }
            if (errors.isEmpty()) {
                // what the browser decrypts names this receiver's own message
                ReceivedPush last = received.getLast();
                assertThat(last.vapidVerified()).as("receiver %d VAPID", i).isTrue();
                assertThat(last.plaintext()).as("receiver %d payload", i)
                        .contains("\"messageId\":\"" + messageId + "\"", "\"foreignId\":\"user-" + i + "\"",
                                "\"contextId\":\"" + contextId + "\"", "\"title\":\"bulk\"");
            }
        }
        assertThat(results.stream().map(r -> r.get("messageId")).distinct()).hasSize(1000);
        assertThat(pushService.maxInFlight()).isGreaterThan(1);
    }
}
