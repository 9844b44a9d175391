package io.pushcore.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.pushcore.aggregator.storage.EventSource.Received;
import io.pushcore.aggregator.support.TestConfig;
import io.pushcore.model.Event;
import io.pushcore.model.EventKind;
import io.pushcore.queue.QueueCodec;

/** Packing alone: counts, bytes, age, and which messages each package and each waiting part come from. */
class PackerTest {

    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    final Packer packer = new Packer(TestConfig.aggregator(Map.of("aggregator.flush.max-events", "100",
            "aggregator.flush.max-age", "60s")).flush());

    @Test
    void cutsFullPackagesOldestFirstAndKeepsTheYoungRestWaiting() {
        UUID bucket = UUID.randomUUID();
        HeldMessage.Events older = message("older", NOW.minusSeconds(10), events(bucket, 150));
        HeldMessage.Events newer = message("newer", NOW.minusSeconds(5), events(bucket, 100));
        Map<UUID, List<Packer.Item>> groups = new LinkedHashMap<>();
        groups.put(bucket, items(newer, older));

        Packer.Packed packed = packer.pack(groups, NOW);

        assertThat(packed.packages()).hasSize(2);
        assertThat(packed.packages().get(0).events()).containsExactlyElementsOf(older.events().subList(0, 100));
        assertThat(packed.packages().get(0).sources()).containsExactly("older");
        assertThat(packed.packages().get(1).events()).containsExactlyElementsOf(concat(
                older.events().subList(100, 150), newer.events().subList(0, 50)));
        assertThat(packed.packages().get(1).sources()).containsExactly("older", "newer");
        assertThat(packed.packages().get(1).oldestEnqueuedAt()).isEqualTo(older.enqueuedAt());
        assertThat(packed.waiting()).singleElement().satisfies(wait -> {
            assertThat(wait.source().receiptHandle()).isEqualTo("newer");
            assertThat(wait.events()).containsExactlyElementsOf(newer.events().subList(50, 100));
            assertThat(wait.dueAt()).isEqualTo(newer.enqueuedAt().plusSeconds(60));
            assertThat(wait.whole()).as("the message also has events in a package").isFalse();
        });
        assertThat(packed.waitingEvents()).isEqualTo(50);
    }

    @Test
    void sendsAPartialPackageOnceItsOldestEventIsDue() {
        UUID bucket = UUID.randomUUID();
        HeldMessage.Events due = message("due", NOW.minus(Duration.ofSeconds(60)), events(bucket, 3));

        Packer.Packed packed = packer.pack(Map.of(bucket, items(due)), NOW);

        assertThat(packed.packages()).singleElement().satisfies(pkg -> {
            assertThat(pkg.events()).hasSize(3);
            assertThat(pkg.attempts()).isZero();
            assertThat(pkg.webhookId()).startsWith("pkg_");
        });
        assertThat(packed.waiting()).isEmpty();
    }

    @Test
    void aMessageWhoseEventsAllWaitIsWaitingWholeWithItsEarliestDueTime() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        List<Event> mixed = concat(events(a, 2), events(b, 2));
        HeldMessage.Events young = message("young", NOW.minusSeconds(1), mixed);

        Packer.Packed packed = packer.pack(Map.of(a, items(young, mixed.subList(0, 2)), b,
                items(young, mixed.subList(2, 4))), NOW);

        assertThat(packed.packages()).isEmpty();
        assertThat(packed.waiting()).singleElement().satisfies(wait -> {
            assertThat(wait.whole()).isTrue();
            assertThat(wait.events()).containsExactlyInAnyOrderElementsOf(mixed);
            assertThat(wait.dueAt()).isEqualTo(NOW.plusSeconds(59));
        });
    }

    @Test
    void keepsEveryPackageWithinTheByteBound() {
        Packer small = new Packer(TestConfig.aggregator(Map.of("aggregator.flush.max-bytes", "2000")).flush());
        UUID bucket = UUID.randomUUID();
        HeldMessage.Events message = message("m", NOW.minusSeconds(120), events(bucket, 100));

        Packer.Packed packed = small.pack(Map.of(bucket, items(message)), NOW);

        assertThat(packed.packages()).hasSizeGreaterThan(1);
        assertThat(packed.packages()).allSatisfy(pkg -> assertThat(pkg.events().stream()
                .mapToInt(e -> QueueCodec.encodedEventBytes(e) + 1).sum()).isLessThanOrEqualTo(2000));
        assertThat(packed.packages().stream().mapToInt(pkg -> pkg.events().size()).sum()).isEqualTo(100);
    }

    static HeldMessage.Events message(String receipt, Instant enqueuedAt, List<Event> events) {
        return new HeldMessage.Events(new Received(receipt, "{}", enqueuedAt), enqueuedAt, events);
    }

    static List<Packer.Item> items(HeldMessage.Events... messages) {
        List<Packer.Item> items = new ArrayList<>();
        for (HeldMessage.Events message : messages) {
            message.events().forEach(e -> items.add(new Packer.Item(e, message)));
        }
        return items;
    }

    static List<Packer.Item> items(HeldMessage.Events message, List<Event> events) {
        return events.stream().map(e -> new Packer.Item(e, message)).toList();
    }

    static List<Event> events(UUID bucket, int count) {
        UUID context = UUID.randomUUID();
        return IntStream.range(0, count).mapToObj(i -> Event.outcome(UUID.randomUUID(), context, bucket,
                "receiver-" + i, EventKind.SENT, null, NOW)).toList();
    }

    static List<Event> concat(List<Event> a, List<Event> b) {
        List<Event> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
