package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.receiver;
import static io.pushcore.send.http.SendApiTest.vapidCredential;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pushcore.send.support.ProviderFakes;
import io.pushcore.send.support.SendAws;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** When the event queue does not take a send's events, the send answers 503 instead of claiming success. */
@QuarkusTest
@TestProfile(EventQueueDownTest.MissingQueue.class)
class EventQueueDownTest {

    public static class MissingQueue implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SendAws.class, Map.of("missingQueue", "true")),
                    new TestResourceEntry(ProviderFakes.class));
        }
    }

    @Test
    void answers503WhenTheEventsCannotBeEnqueued() {
        JsonPath bucket = api().body(Map.of("providerCredentials", List.of(vapidCredential()), "callbackConfig",
                Map.of("type", "none"))).post("/v1/bucket").then().statusCode(200).extract().jsonPath();
        String bucketId = bucket.getString("bucketId");
        String contextId = api().body(Map.of("title", "hi")).post("/v1/bucket/" + bucketId + "/context/data")
                .then().statusCode(200).extract().path("contextId");
        try (FakeWebPushServer browser = new FakeWebPushServer()) {
            api().body(Map.of("receivers", List.of(receiver(bucket.getString("credentials[0].id"),
                    browser.subscribe(), "a"))))
                    .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(503)
                    .body("message", equalTo("events could not be recorded"))
                    .body("errors", hasItem(startsWith("events: ")));
        }
    }
}
