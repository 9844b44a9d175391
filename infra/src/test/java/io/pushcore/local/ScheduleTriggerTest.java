package io.pushcore.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ScheduleTriggerTest {

    @Test
    void invokesTheFunctionWithEventBridgeScheduledEventsEveryInterval() throws Exception {
        var received = new LinkedBlockingQueue<JsonNode>();
        try (var runtime = new LambdaRuntimeApi("aggregator-function", "us-east-1", LambdaFunction.AGGREGATOR.timeout());
                var poller = new PollingRuntime(runtime.endpoint("aggregator-function", timedOut -> {
                }).address(), invocation -> {
                    received.add(invocation.event());
                    return "null";
                });
                var trigger = new ScheduleTrigger(runtime, "rule-1", "us-east-1", Duration.ofMillis(100),
                        Duration.ofSeconds(5), System.out)) {

            JsonNode first = received.poll(10, TimeUnit.SECONDS);
            JsonNode second = received.poll(10, TimeUnit.SECONDS);

            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            assertThat(first.path("detail-type").asText()).isEqualTo("Scheduled Event");
            assertThat(first.path("source").asText()).isEqualTo("aws.events");
            assertThat(first.path("resources").get(0).asText())
                    .isEqualTo("arn:aws:events:us-east-1:123456789012:rule/rule-1");
            assertThat(first.path("id").asText()).isNotEqualTo(second.path("id").asText());
        }
    }
}
