package io.pushcore.event.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.pushcore.crypto.MessageIds;
import io.pushcore.event.support.StalledQueue;
import io.quarkus.amazon.lambda.http.LambdaHttpHandler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A hung SQS does not hold requests: the SQS client's timeouts and the queue's round timeout end every call, so each
 * waiting request, concurrent ones included, answers 503 well within the function's 10 s Lambda timeout, and the
 * sender serves later requests.
 */
@QuarkusTest
@TestProfile(StalledQueue.class)
class QueueStalledTest {

    @Inject
    MessageIds messageIds;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyWaitingRequestAnswers503WhenSqsHangs() throws Exception {
        UUID context = UUID.randomUUID();
        LambdaHttpHandler handler = new LambdaHttpHandler();
        try (ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> answers = IntStream.range(0, 8).mapToObj(i -> invocations.submit(() -> handler
                    .handleRequest(EventIntakeTest.apiGatewayEvent(context, "delivered", "{\"messageId\":\""
                            + messageIds.mint(context) + "\"}"), null).getStatusCode())).toList();
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(503);
            }
        }
        given().contentType(ContentType.JSON).body(Map.of("messageId", messageIds.mint(context).toString()))
                .post("/v1/context/" + context + "/events/delivered").then().statusCode(503);
    }
}
