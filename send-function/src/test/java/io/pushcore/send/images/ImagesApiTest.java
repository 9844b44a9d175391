package io.pushcore.send.images;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.SendAws;
import io.pushcore.testing.aws.InjectLocalAws;
import io.pushcore.testing.aws.LocalAws;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.pushcore.testing.webpush.ReceivedPush;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Images through the API: contexts and one-shot sends store CDN URLs, devices receive them, bad images are 400s. */
@QuarkusTest
@TestProfile(ImagesApiTest.WithCdnBucket.class)
class ImagesApiTest {

    static final String CDN = "https://cdn.pushcore.test/";

    /** The default profile with the CDN bucket created as well. */
    public static class WithCdnBucket extends InProcessAws {
        @Override
        public List<TestResourceEntry> testResources() {
            return super.testResources().stream().map(entry -> entry.getClazz() == SendAws.class
                    ? new TestResourceEntry(SendAws.class, Map.of("buckets", "pushcore-state,pushcore-cdn"))
                    : entry).toList();
        }
    }

    static FakeImageServer origin;
    static FakeWebPushServer pushService;

    @InjectLocalAws
    LocalAws aws;

    @BeforeAll
    static void start() throws Exception {
        origin = new FakeImageServer();
        origin.serve("/logo.png", TestImages.png(600, 300), "image/png");
        origin.serve("/hero.jpg", TestImages.jpeg(2000, 1000), "image/jpeg");
        origin.serve("/button.webp", TestImages.resource("alpha-120x80.webp"), "image/webp");
        origin.serve("/login.png", "<!doctype html><title>Sign in</title>".getBytes(), "image/png");
        origin.status("/missing.png", 404);
        pushService = new FakeWebPushServer();
    }

    @AfterAll
    static void stop() {
        origin.close();
        pushService.close();
    }

    static RequestSpecification api() {
        return given().header("x-token", "pushcore-dev-key").contentType(ContentType.JSON);
    }

    static JsonPath bucket(FakeWebPushServer.VapidKeyStrings vapid) {
        return api().body(Map.of("providerCredentials", List.of(Map.of("type", "vapid", "payload",
                Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                "callbackConfig", Map.of("type", "none"))).post("/v1/bucket").then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void storesADataContextWithCdnUrlsOfImagesInTheCdnBucket() throws Exception {
        String bucketId = bucket(FakeWebPushServer.newVapidKeys()).getString("bucketId");

        String contextId = api().body(Map.of("title", "Sale", "icon", origin.url("/logo.png"), "image",
                origin.url("/hero.jpg"), "actions", List.of(Map.of("action", "buy", "title", "Buy", "icon",
                        origin.url("/button.webp")))))
                .post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(200).extract().path("contextId");

        JsonNode content = new ObjectMapper().readTree(aws.s3().getObjectAsBytes(b -> b.bucket("pushcore-state")
                .key("contexts/" + bucketId + "/" + contextId + ".json")).asByteArray()).path("content");
        assertThat(content.path("icon").asText()).matches("https://cdn\\.pushcore\\.test/images/[0-9a-f]{32}/[0-9a-f]{64}-icon\\.png");
        assertThat(content.path("image").asText()).matches(".*/images/[0-9a-f]{32}/[0-9a-f]{64}-image\\.jpg");
        assertThat(content.path("actions").get(0).path("icon").asText()).matches(".*/images/[0-9a-f]{32}/[0-9a-f]{64}-icon\\.png");
        for (String url : List.of(content.path("icon").asText(), content.path("image").asText())) {
            var stored = aws.s3().headObject(b -> b.bucket("pushcore-cdn").key(url.substring(CDN.length())));
            assertThat(stored.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
            assertThat(stored.contentType()).startsWith("image/");
        }
    }

    @Test
    void deliversCdnUrlsToDevicesOnAOneShotSend() throws Exception {
        FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        pushService.expectVapidPublicKey(vapid.publicKey());
        JsonPath bucket = bucket(vapid);
        Subscriber subscriber = pushService.subscribe().respond(201);

        api().body(Map.of("receiver", Map.of("credentialId", bucket.getString("credentials[0].id"), "endpoint",
                subscriber.endpoint(), "p256dh", subscriber.p256dh(), "auth", subscriber.auth()),
                "metadata", Map.of("title", "Hi", "icon", origin.url("/logo.png"), "image", origin.url("/hero.jpg"))))
                .post("/v1/bucket/" + bucket.getString("bucketId") + "/send").then().statusCode(200)
                .body("errors", org.hamcrest.Matchers.empty());

        List<ReceivedPush> received = pushService.awaitCount(1, Duration.ofSeconds(5)).stream()
                .filter(p -> p.subscriberId().equals(subscriber.id())).toList();
        assertThat(received).singleElement().satisfies(push -> assertThat(push.decrypted()).isTrue());
        JsonNode payload = new ObjectMapper().readTree(received.get(0).plaintext());
        assertThat(payload.path("icon").asText()).startsWith(CDN + "images/").endsWith("-icon.png");
        assertThat(payload.path("image").asText()).startsWith(CDN + "images/").endsWith("-image.jpg");
    }

    @Test
    void refusesAContextWithUnusableImagesNamingEachField() {
        String bucketId = bucket(FakeWebPushServer.newVapidKeys()).getString("bucketId");

        api().body(Map.of("title", "x", "icon", origin.url("/login.png"), "smallIcon", origin.url("/logo.png"),
                "actions", List.of(Map.of("action", "a", "title", "A", "icon", origin.url("/logo.png")),
                        Map.of("action", "b", "title", "B", "icon", origin.url("/missing.png")))))
                .post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(400)
                .body("message", equalTo("image could not be used"))
                .body("errors", containsInAnyOrder("icon: is not a PNG, JPEG, GIF, WebP or SVG image",
                        "actions[1].icon: could not be downloaded: the server answered HTTP 404"));
    }

    @Test
    void namesTheMetadataFieldOfAOneShotSend() {
        JsonPath bucket = bucket(FakeWebPushServer.newVapidKeys());

        api().body(Map.of("receiver", Map.of("credentialId", bucket.getString("credentials[0].id"), "endpoint",
                "https://push.example.com/x", "p256dh", "BAAA", "auth", "AAAA"),
                "metadata", Map.of("title", "Hi", "image", "file:///etc/passwd")))
                .post("/v1/bucket/" + bucket.getString("bucketId") + "/send").then().statusCode(400)
                .body("errors", containsInAnyOrder("metadata.image: must be an http or https URL"));
    }
}
