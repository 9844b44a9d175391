package io.pushcore.send.images;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pushcore.send.storage.TenantEraser;
import io.pushcore.send.storage.TenantKey;
import io.pushcore.send.support.SendAws;
import io.pushcore.testing.aws.InjectLocalAws;
import io.pushcore.testing.aws.LocalAws;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The admin erasure call against the in-process S3 stand-in: everything one tenant stored (buckets with their sealed
 * credentials and webhook, contexts, routes, CDN images) is deleted, found through the tenant's own index, and no
 * other tenant's data is touched.
 */
@QuarkusTest
@TestProfile(ImagesApiTest.WithCdnBucket.class)
class TenantErasureTest {

    static final String ADMIN_KEY = "pushcore-dev-admin-key";
    static final String CDN_BUCKET = "pushcore-cdn";

    static final Map<String, String> CREDENTIALS = new java.util.concurrent.ConcurrentHashMap<>();
    static FakeImageServer origin;
    static FakeWebPushServer pushService;

    @InjectLocalAws
    LocalAws aws;

    @Inject
    TenantEraser eraser;

    @BeforeAll
    static void start() throws Exception {
        origin = new FakeImageServer();
        origin.serve("/erase/logo.png", TestImages.png(400, 400), "image/png");
        origin.serve("/erase/hero.jpg", TestImages.jpeg(1200, 600), "image/jpeg");
        pushService = new FakeWebPushServer();
    }

    @AfterAll
    static void stop() {
        origin.close();
        pushService.close();
    }

    static RequestSpecification as(String key) {
        return given().header("authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    static String newTenantKey(String tenant) {
        return as(ADMIN_KEY).body(Map.of("tenant", tenant)).post("/v1/admin/token").then().statusCode(201)
                .extract().path("token");
    }

    /** A bucket with a web push credential and a webhook, and {@code contexts} data contexts with images. */
    static String bucketWithContexts(String key, FakeWebPushServer.VapidKeyStrings vapid, int contexts) {
        JsonPath created = as(key).body(Map.of("providerCredentials", List.of(Map.of("type", "vapid", "payload",
                Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                "callbackConfig", Map.of("type", "http", "payload", Map.of("url", "http://127.0.0.1:9/hook",
                        "headers", Map.of("x-secret", "hook-secret")))))
                .post("/v1/bucket").then().statusCode(200).extract().jsonPath();
        String bucketId = created.getString("bucketId");
        CREDENTIALS.put(bucketId, created.getString("credentials[0].id"));
        for (int i = 0; i < contexts; i++) {
            as(key).body(Map.of("title", "Sale " + i, "icon", origin.url("/erase/logo.png"), "image",
                    origin.url("/erase/hero.jpg")))
                    .post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(200);
        }
        return bucketId;
    }

    List<String> keys(String bucket, String prefix) {
        return aws.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    List<String> stateKeysOf(String bucketId) {
        List<String> contexts = keys(SendAws.STATE_BUCKET, "contexts/" + bucketId + "/");
        List<String> all = new java.util.ArrayList<>(contexts);
        all.addAll(keys(SendAws.STATE_BUCKET, "buckets/" + bucketId));
        all.addAll(keys(SendAws.STATE_BUCKET, "routes/buckets/" + bucketId));
        for (String context : contexts) {
            String id = context.substring(context.lastIndexOf('/') + 1);
            all.addAll(keys(SendAws.STATE_BUCKET, "routes/contexts/" + id));
        }
        return all;
    }

    @Test
    void erasesEverythingOneTenantStoredAndNothingOfAnothers() {
        String doomedKey = newTenantKey("erase-me");
        String keptKey = newTenantKey("keep-me");
        FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        List<String> doomedBuckets = List.of(bucketWithContexts(doomedKey, vapid, 3),
                bucketWithContexts(doomedKey, vapid, 2));
        String keptBucket = bucketWithContexts(keptKey, vapid, 2);
        String doomedImages = "images/" + TenantKey.of("erase-me") + "/";
        String keptImages = "images/" + TenantKey.of("keep-me") + "/";
        // each bucket: its document and route, and per context its document and route
        assertThat(stateKeysOf(doomedBuckets.get(0))).hasSize(2 + 3 * 2);
        assertThat(keys(CDN_BUCKET, doomedImages)).hasSize(2);
        List<String> keptBefore = stateKeysOf(keptBucket);
        List<String> keptImagesBefore = keys(CDN_BUCKET, keptImages);
        assertThat(keptImagesBefore).hasSize(2);

        as(ADMIN_KEY).body(Map.of("tenant", "erase-me")).post("/v1/admin/erase").then().statusCode(200)
                .body("tenant", equalTo("erase-me"))
                .body("buckets", equalTo(2))
                .body("contexts", equalTo(5))
                .body("images", equalTo(2))
                .body("complete", equalTo(true));

        for (String bucketId : doomedBuckets) {
            assertThat(stateKeysOf(bucketId)).as("state of erased bucket " + bucketId).isEmpty();
        }
        assertThat(keys(SendAws.STATE_BUCKET, "tenants/" + TenantKey.of("erase-me") + "/")).isEmpty();
        assertThat(keys(CDN_BUCKET, doomedImages)).isEmpty();
        assertThat(stateKeysOf(keptBucket)).containsExactlyInAnyOrderElementsOf(keptBefore);
        assertThat(keys(CDN_BUCKET, keptImages)).containsExactlyInAnyOrderElementsOf(keptImagesBefore);

        // the other tenant still sends with what it stored
        Subscriber subscriber = pushService.subscribe();
        String contextId = keys(SendAws.STATE_BUCKET, "contexts/" + keptBucket + "/").getFirst()
                .replaceAll(".*/|\\.json$", "");
        as(keptKey).body(Map.of("receivers", List.of(Map.of("credentialId", CREDENTIALS.get(keptBucket),
                "endpoint", subscriber.endpoint(), "p256dh", subscriber.p256dh(), "auth", subscriber.auth(),
                "foreignId", "u1"))))
                .post("/v1/bucket/" + keptBucket + "/context/" + contextId + "/send").then().statusCode(200)
                .body("results[0].errors", org.hamcrest.Matchers.empty());
        assertThat(pushService.received(subscriber)).hasSize(1);

        // a second call finds nothing left and says so
        as(ADMIN_KEY).body(Map.of("tenant", "erase-me")).post("/v1/admin/erase").then().statusCode(200)
                .body("buckets", equalTo(0)).body("complete", equalTo(true));
    }

    @Test
    void aCallOutOfTimeLeavesTheRestForTheNextCall() {
        String key = newTenantKey("erase-later");
        String bucketId = bucketWithContexts(key, FakeWebPushServer.newVapidKeys(), 1);

        TenantEraser.Erased cut = eraser.erase("erase-later", Duration.ofMillis(-1));
        assertThat(cut.complete()).isFalse();
        assertThat(stateKeysOf(bucketId)).as("nothing reached yet, still findable").isNotEmpty();

        TenantEraser.Erased rest = eraser.erase("erase-later", Duration.ofSeconds(15));
        assertThat(rest.complete()).isTrue();
        assertThat(rest.buckets()).isEqualTo(1);
        assertThat(stateKeysOf(bucketId)).isEmpty();
    }

    @Test
    void onlyTheAdminKeyErasesAndTheTenantIsValidated() {
        as("pushcore-dev-key").body(Map.of("tenant", "dev")).post("/v1/admin/erase").then().statusCode(403);
        as(ADMIN_KEY).body(Map.of("tenant", "no spaces/allowed")).post("/v1/admin/erase").then().statusCode(400)
                .body("errors", hasItem(org.hamcrest.Matchers.startsWith("tenant:")));
        as(ADMIN_KEY).body("{}").post("/v1/admin/erase").then().statusCode(400)
                .body("errors", hasItem(org.hamcrest.Matchers.startsWith("tenant:")));
    }


}
