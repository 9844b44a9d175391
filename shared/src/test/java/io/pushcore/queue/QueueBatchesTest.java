package io.pushcore.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.pushcore.model.Event;
import io.pushcore.model.EventKind;

class QueueBatchesTest {

    static List<Event> events(int count, int foreignIdLength) {
        UUID context = UUID.randomUUID();
        UUID bucket = UUID.randomUUID();
        return IntStream.range(0, count).mapToObj(i -> Event.outcome(UUID.randomUUID(), context, bucket,
                "f".repeat(foreignIdLength), EventKind.SENT, null, Instant.ofEpochMilli(i))).toList();
    }

    @Test
    void keepsEveryMessageAndEveryBatchWithinTheSqsLimits() {
        List<Event> events = events(5000, 100);

        List<List<String>> batches = QueueBatches.of(events);

        assertThat(batches).allSatisfy(batch -> {
            assertThat(batch).hasSizeLessThanOrEqualTo(QueueBatches.MAX_ENTRIES);
            assertThat(batch.stream().mapToInt(b -> b.getBytes(StandardCharsets.UTF_8).length).sum())
                    .isLessThanOrEqualTo(QueueBatches.DEFAULT_BUDGET_BYTES);
        });
        assertThat(batches.stream().flatMap(List::stream).flatMap(b -> QueueCodec.decode(b).events().stream()))
                .containsExactlyElementsOf(events);
    }

    @Test
    void putsAThousandSendOutcomesIntoOneMessage() {
        List<List<String>> batches = QueueBatches.of(events(1000, 20));

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).hasSize(1);
    }

    @Test
    void groupsSmallMessagesTenToABatch() {
        List<Event> events = events(25, 10);
        List<String> bodies = events.stream().map(e -> QueueCodec.encode(new QueueMessage.Events(List.of(e))))
                .toList();

        assertThat(QueueBatches.group(bodies, QueueBatches.DEFAULT_BUDGET_BYTES)).extracting(List::size)
                .containsExactly(10, 10, 5);
    }

    @Test
    void refusesAnEventLargerThanTheBudget() {
        assertThatThrownBy(() -> QueueBatches.of(events(1, 2000), 1000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void packsEventsEncodedByTheCallerAsItPacksEvents() {
        List<Event> events = events(3000, 100);
        List<byte[]> encoded = events.stream().map(QueueCodec::encodeEvent).toList();

        assertThat(encoded).allSatisfy(e -> assertThat(QueueBatches.fitsAlone(e, QueueBatches.DEFAULT_BUDGET_BYTES))
                .isTrue());
        assertThat(QueueBatches.ofEncoded(encoded, QueueBatches.DEFAULT_BUDGET_BYTES))
                .isEqualTo(QueueBatches.of(events));
        byte[] large = QueueCodec.encodeEvent(events(1, 2000).get(0));
        assertThat(QueueBatches.fitsAlone(large, 1000)).isFalse();
        assertThat(QueueBatches.fitsAlone(large, large.length + QueueCodec.emptyEventsMessageBytes())).isTrue();
    }

    @Test
    void givesNoBatchForNoEvents() {
        assertThat(QueueBatches.of(List.of())).isEmpty();
    }
}
