package io.pushcore.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.pushcore.aggregator.support.InMemoryEventSource;
import io.pushcore.aggregator.support.TestConfig;
import io.pushcore.queue.QueueCodec;
import io.pushcore.queue.QueueMessage;

/** Receiving alone: every message decoded once, within the run's bounds. */
class DrainTest {

    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    final InMemoryEventSource source = new InMemoryEventSource();

    @Test
    void decodesEachMessageOnceUntilTheQueueIsEmpty() {
        UUID bucket = UUID.randomUUID();
        String events = source.offer(QueueCodec.encode(new QueueMessage.Events(PackerTest.events(bucket, 3))),
                NOW.minusSeconds(30));
        String pending = source.offer(QueueCodec.encode(new QueueMessage.PendingPackage("pkg_1", bucket, 2,
                NOW.minusSeconds(600), NOW, PackerTest.events(bucket, 4))), NOW.minusSeconds(5));
        String poison = source.offer("{\"not\":\"ours\"}", null);

        List<HeldMessage> held = new Drain(source, TestConfig.aggregator(Map.of())).drain(deadline(), NOW);

        assertThat(held).hasSize(3);
        assertThat(held).filteredOn(m -> m.receiptHandle().equals(events)).singleElement()
                .isInstanceOfSatisfying(HeldMessage.Events.class, m -> {
                    assertThat(m.events()).hasSize(3);
                    assertThat(m.enqueuedAt()).as("from SentTimestamp").isEqualTo(NOW.minusSeconds(30));
                });
        assertThat(held).filteredOn(m -> m.receiptHandle().equals(pending)).singleElement()
                .isInstanceOfSatisfying(HeldMessage.Pending.class, m -> assertThat(m.pending().attempts())
                        .isEqualTo(2));
        assertThat(held).filteredOn(m -> m.receiptHandle().equals(poison)).singleElement()
                .isInstanceOf(HeldMessage.Malformed.class);
        assertThat(held.stream().mapToInt(HeldMessage::eventCount).sum()).isEqualTo(7);
    }

    @Test
    void stopsReceivingOnceTheRunHoldsItsMaximumOfEvents() {
        UUID bucket = UUID.randomUUID();
        for (int i = 0; i < 100; i++) {
            source.offer(QueueCodec.encode(new QueueMessage.Events(PackerTest.events(bucket, 5))), NOW);
        }

        List<HeldMessage> held = new Drain(source, TestConfig.aggregator(Map.of("aggregator.queue.receivers", "1",
                "aggregator.run.max-events", "25"))).drain(deadline(), NOW);

        // the bound is checked before each receive: one batch of 10 messages passes it
        assertThat(held).hasSize(10);
        assertThat(source.receive()).as("the rest stays on the queue").hasSize(10);
    }

    @Test
    void stopsReceivingOnceTheRunHoldsItsMaximumOfBytes() {
        UUID bucket = UUID.randomUUID();
        String body = QueueCodec.encode(new QueueMessage.Events(PackerTest.events(bucket, 5)));
        for (int i = 0; i < 100; i++) {
            source.offer(body, NOW);
        }

        List<HeldMessage> held = new Drain(source, TestConfig.aggregator(Map.of("aggregator.queue.receivers", "1",
                "aggregator.run.max-bytes", Integer.toString(body.length() * 15)))).drain(deadline(), NOW);

        assertThat(held).hasSize(20);
    }

    static long deadline() {
        return System.nanoTime() + 10_000_000_000L;
    }
}
