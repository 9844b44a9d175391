package io.pushcore.event.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.crypto.MessageIds;
import io.pushcore.event.support.MissingQueue;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** When SQS does not take an event, the client hears 503, never 201. */
@QuarkusTest
@TestProfile(MissingQueue.class)
class QueueUnavailableTest {

    @Inject
    MessageIds messageIds;

    @Inject
    MeterRegistry metrics;

    @Test
    void answers503WhenTheQueueRefusesTheEvent() {
        UUID context = UUID.randomUUID();

        given().contentType(ContentType.JSON).body(Map.of("messageId", messageIds.mint(context).toString()))
                .post("/v1/context/" + context + "/events/delivered").then()
                .statusCode(503)
                .body("message", equalTo("event queue unavailable, try again"));

        assertThat(metrics.counter("pushcore.events.received", "kind", "delivered",
                "outcome", "unavailable").count()).isEqualTo(1.0);
    }
}
