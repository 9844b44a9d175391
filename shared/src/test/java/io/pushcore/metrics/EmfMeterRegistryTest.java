package io.pushcore.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MockClock;
import io.pushcore.testing.emf.EmfDocuments;
import io.micrometer.core.instrument.Timer;

class EmfMeterRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockClock clock = new MockClock();
    private final EmfMeterRegistry registry = new EmfMeterRegistry("pushcore-test", clock);

    @Test
    void aCounterIsItsIncreaseSinceTheLastFlushWithItsTagsAsDimensionsAndAlsoWithout() throws Exception {
        registry.counter("pushcore.pushes", "provider", "fcm", "outcome", "accepted").increment(3);

        List<JsonNode> documents = parse(registry.flush());

        assertThat(documents).hasSize(1);
        JsonNode document = documents.getFirst();
        EmfDocuments.assertValid(document);
        JsonNode directive = document.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo("pushcore-test");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"outcome\",\"provider\"],[]]");
        assertThat(directive.get("Metrics").toString())
                .isEqualTo("[{\"Name\":\"pushcore.pushes\",\"Unit\":\"Count\"}]");
        assertThat(document.get("provider").asText()).isEqualTo("fcm");
        assertThat(document.get("outcome").asText()).isEqualTo("accepted");
        assertThat(document.get("pushcore.pushes").asDouble()).isEqualTo(3);
        assertThat(document.at("/_aws/Timestamp").asLong()).isEqualTo(clock.wallTime());

        assertThat(registry.flush()).as("nothing new").isEmpty();
        registry.counter("pushcore.pushes", "provider", "fcm", "outcome", "accepted").increment(2);
        assertThat(parse(registry.flush()).getFirst().get("pushcore.pushes").asDouble()).isEqualTo(2);
    }

    @Test
    void aTimerIsEveryDurationSinceTheLastFlushInArraysOfAtMostAHundred() throws Exception {
        Timer timer = Timer.builder("pushcore.provider.latency").tag("provider", "apns").register(registry);
        for (int i = 1; i <= 250; i++) {
            timer.record(Duration.ofMillis(i));
        }

        List<JsonNode> documents = parse(registry.flush());

        assertThat(documents).hasSize(3);
        List<Double> values = new ArrayList<>();
        for (JsonNode document : documents) {
            EmfDocuments.assertValid(document);
            assertThat(document.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText()).isEqualTo("Milliseconds");
            JsonNode array = document.get("pushcore.provider.latency");
            assertThat(array.isArray()).isTrue();
            assertThat(array.size()).isLessThanOrEqualTo(100);
            array.forEach(v -> values.add(v.asDouble()));
        }
        assertThat(values).hasSize(250).contains(1.0, 125.0, 250.0);
        assertThat(registry.flush()).isEmpty();
    }

    @Test
    void pastTheSampleBoundATimerKeepsAUniformSampleAndItsTotalsStayExact() throws Exception {
        Timer timer = registry.timer("pushcore.webhook.latency");
        for (int i = 0; i < 5_000; i++) {
            timer.record(Duration.ofMillis(i < 2_500 ? 10 : 1_000));
        }

        List<Double> values = new ArrayList<>();
        parse(registry.flush()).forEach(d -> d.get("pushcore.webhook.latency").forEach(v -> values.add(v.asDouble())));

        assertThat(values).hasSize(EmfMeterRegistry.SAMPLES_PER_FLUSH);
        long slow = values.stream().filter(v -> v == 1_000.0).count();
        assertThat(slow).as("about half the sample is from the second half").isBetween(350L, 650L);
        assertThat(timer.count()).isEqualTo(5_000);
    }

    @Test
    void metersWithTheSameTagsShareADocumentAndOthersGetTheirOwn() throws Exception {
        registry.counter("pushcore.events.enqueued", "outcome", "ok").increment(10);
        registry.counter("pushcore.webhook.deliveries", "outcome", "ok").increment();
        registry.counter("pushcore.events.enqueued", "outcome", "unavailable").increment();
        registry.counter("pushcore.breaker.open").increment();

        List<JsonNode> documents = parse(registry.flush());

        assertThat(documents).hasSize(3);
        documents.forEach(EmfDocuments::assertValid);
        JsonNode ok = documents.stream().filter(d -> "ok".equals(d.path("outcome").asText())).findFirst().orElseThrow();
        assertThat(ok.get("pushcore.events.enqueued").asDouble()).isEqualTo(10);
        assertThat(ok.get("pushcore.webhook.deliveries").asDouble()).isEqualTo(1);
        JsonNode plain = documents.stream().filter(d -> d.has("pushcore.breaker.open")).findFirst().orElseThrow();
        assertThat(plain.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[]]");
    }

    @Test
    void onlyPushcoreMetersAreKept() {
        registry.counter("jvm.gc.pause").increment();
        registry.timer("http.server.requests").record(Duration.ofMillis(5));

        assertThat(registry.getMeters()).isEmpty();
        assertThat(registry.flush()).isEmpty();
    }

    @Test
    void concurrentFlushesNeitherLoseNorRepeatAnIncrease() throws Exception {
        var counter = registry.counter("pushcore.events.received", "kind", "delivered", "outcome", "accepted");
        List<Thread> threads = new ArrayList<>();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    counter.increment();
                    if (i % 100 == 0) {
                        lines.addAll(registry.flush());
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        lines.addAll(registry.flush());

        double total = 0;
        for (JsonNode document : parse(lines)) {
            total += document.get("pushcore.events.received").asDouble();
        }
        assertThat(total).isEqualTo(40_000);
    }

    static List<JsonNode> parse(List<String> lines) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        for (String line : lines) {
            assertThat(line).doesNotContain("\n");
            documents.add(JSON.readTree(line));
        }
        return documents;
    }
}
