package io.pushcore.send.images;

import static io.pushcore.send.images.ImagesApiTest.api;
import static org.hamcrest.Matchers.contains;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pushcore.testing.webpush.FakeWebPushServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With production's network policy an image on a loopback host is a 400, and the origin is never contacted. */
@QuarkusTest
@TestProfile(ImagesProductionNetworkTest.DenyPrivate.class)
class ImagesProductionNetworkTest {

    public static class DenyPrivate extends ImagesApiTest.WithCdnBucket {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("send.network.allow-private", "false");
        }
    }

    static FakeImageServer origin;

    @BeforeAll
    static void start() throws Exception {
        origin = new FakeImageServer();
        origin.serve("/internal.png", TestImages.png(64, 64), "image/png");
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    @Test
    void refusesAnImageOnAHostNameThatResolvesToLoopback() {
        String bucketId = ImagesApiTest.bucket(FakeWebPushServer.newVapidKeys()).getString("bucketId");

        api().body(Map.of("title", "x", "icon", "http://localhost:" + origin.port() + "/internal.png",
                "image", "http://169.254.169.254/latest/meta-data/"))
                .post("/v1/bucket/" + bucketId + "/context/data").then().statusCode(400)
                .body("errors", contains("icon: is not allowed: host resolves to a loopback address",
                        "image: is not allowed: host resolves to a link-local address"));
        org.assertj.core.api.Assertions.assertThat(origin.hits("/internal.png")).isZero();
    }
}
