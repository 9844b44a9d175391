package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.receiver;
import static io.pushcore.send.http.SendApiTest.vapidCredential;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pushcore.send.support.ProviderFakes;
import io.pushcore.send.support.SendAws;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Reply;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The time budget bounds the request, not only the retries: a push service that takes longer than the budget to
 * answer a single attempt (here its request timeout is far longer than the budget) does not hold the request, so
 * the send answers and records its events before the Lambda timeout would cut it off.
 */
@QuarkusTest
@TestProfile(TimeBudgetTest.ShortBudget.class)
class TimeBudgetTest {

    public static class ShortBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("send.dispatch.time-budget", "2s", "send.webpush.request-timeout", "60s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SendAws.class), new TestResourceEntry(ProviderFakes.class));
        }
    }

    @Test
    void aReceiverStillWaitingAtTheDeadlineGetsProviderUnavailableAndTheOthersTheirOutcome() {
        JsonPath bucket = api().body(Map.of("providerCredentials", List.of(vapidCredential()), "callbackConfig",
                Map.of("type", "none"))).post("/v1/bucket").then().statusCode(200).extract().jsonPath();
        String bucketId = bucket.getString("bucketId");
        String credentialId = bucket.getString("credentials[0].id");
        String contextId = api().body(Map.of("title", "hi")).post("/v1/bucket/" + bucketId + "/context/data")
                .then().statusCode(200).extract().path("contextId");
        try (FakeWebPushServer browsers = new FakeWebPushServer()) {
            Subscriber fast = browsers.subscribe();
            Subscriber stalled = browsers.subscribe().respond(Reply.status(201).after(Duration.ofSeconds(8)));

            JsonPath results = api().body(Map.of("receivers", List.of(receiver(credentialId, stalled, "stalled"),
                    receiver(credentialId, fast, "fast"))))
                    .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(200)
                    .extract().jsonPath();

            assertThat(results.getList("results[0].errors", String.class)).singleElement().asString()
                    .startsWith("PROVIDER_UNAVAILABLE").contains("time budget");
            assertThat(results.getList("results[1].errors", String.class)).isEmpty();
            assertThat(browsers.received(fast)).hasSize(1);
        }
    }
}
