package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.receiver;
import static io.pushcore.send.http.SendApiTest.vapidCredential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.pushcore.send.support.ProviderFakes;
import io.pushcore.send.support.SendAws;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A hung SQS does not hold a send past its Lambda timeout: the enqueue ends at {@code send.events.timeout} and the
 * send answers 503 (its pushes may have left, its events are not recorded) instead of being cut off with nothing.
 */
@QuarkusTest
@TestProfile(EventQueueStalledTest.StalledQueue.class)
class EventQueueStalledTest {

    public static class StalledQueue implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SendAws.class, Map.of("stalledSqs", "true")),
                    new TestResourceEntry(ProviderFakes.class));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void answers503WhenSqsHangsInsteadOfWaitingForIt() {
        JsonPath bucket = api().body(Map.of("providerCredentials", List.of(vapidCredential()), "callbackConfig",
                Map.of("type", "none"))).post("/v1/bucket").then().statusCode(200).extract().jsonPath();
        String bucketId = bucket.getString("bucketId");
        String contextId = api().body(Map.of("title", "hi")).post("/v1/bucket/" + bucketId + "/context/data")
                .then().statusCode(200).extract().path("contextId");
        try (FakeWebPushServer browsers = new FakeWebPushServer()) {
            Subscriber browser = browsers.subscribe();
            for (String foreignId : List.of("first", "second")) {
                api().body(Map.of("receivers", List.of(receiver(bucket.getString("credentials[0].id"), browser,
                        foreignId)))).post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then()
                        .statusCode(503).body("message", equalTo("events could not be recorded"));
            }
            assertThat(browsers.received(browser)).hasSize(2);
        }
    }
}
