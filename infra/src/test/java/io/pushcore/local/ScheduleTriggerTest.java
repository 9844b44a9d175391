package io.pushcore.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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

    @Test
    void aDisabledRuleInvokesNothingUntilInvokedByHandOrEnabled() throws Exception {
        var received = new LinkedBlockingQueue<JsonNode>();
        // each invocation runs until the test opens the gate that is current when it starts
        var gate = new AtomicReference<>(new CountDownLatch(1));
        try (var runtime = new LambdaRuntimeApi("aggregator-function", "us-east-1", LambdaFunction.AGGREGATOR.timeout());
                var poller = new PollingRuntime(runtime.endpoint("aggregator-function", timedOut -> {
                }).address(), invocation -> {
                    received.add(invocation.event());
                    try {
                        gate.get().await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "null";
                });
                var trigger = new ScheduleTrigger(runtime, "rule-1", "us-east-1", Duration.ofMillis(50),
                        Duration.ofSeconds(20), System.out)) {
            trigger.setEnabled(false);
            Thread.sleep(100); // a tick may have fired before the rule was disabled
            CountDownLatch first = gate.getAndSet(new CountDownLatch(1));
            first.countDown();
            trigger.running().get(10, TimeUnit.SECONDS);
            received.clear();

            assertThat(received.poll(500, TimeUnit.MILLISECONDS)).as("ticks of a disabled rule").isNull();

            var invocation = trigger.invoke();
            assertThat(received.poll(10, TimeUnit.SECONDS).path("detail-type").asText()).isEqualTo("Scheduled Event");
            assertThat(trigger.invoke()).as("a second invoke while the first runs").isSameAs(invocation);
            gate.get().countDown();
            invocation.get(10, TimeUnit.SECONDS);
            assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();

            trigger.setEnabled(true);
            assertThat(received.poll(10, TimeUnit.SECONDS)).as("ticks after enabling").isNotNull();
        }
    }
}
