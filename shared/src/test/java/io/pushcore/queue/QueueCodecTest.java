package io.pushcore.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.pushcore.model.Event;
import io.pushcore.model.EventKind;

class QueueCodecTest {

    static final Instant TS = Instant.ofEpochMilli(1_685_009_020_243L);
    static final UUID MESSAGE = UUID.fromString("8e3075f1-6b21-825a-bb4f-eeaf0eac93a2");
    static final UUID CONTEXT = UUID.fromString("0b1f2d3c-4e5f-4a6b-8c7d-8e9f0a1b2c3d");
    static final UUID BUCKET = UUID.fromString("11111111-2222-4333-8444-555555555555");

    @Test
    void writesTheDocumentedEventsFormat() {
        String body = QueueCodec.encode(new QueueMessage.Events(List.of(
                Event.outcome(MESSAGE, CONTEXT, BUCKET, "user-7", EventKind.FAILED, "PROVIDER_REJECTED: no", TS),
                Event.client(MESSAGE, CONTEXT, null, EventKind.CLICKED, "", TS))));

        assertThat(body).isEqualTo("{\"v\":1,\"type\":\"events\",\"events\":["
                + "{\"messageId\":\"8e3075f1-6b21-825a-bb4f-eeaf0eac93a2\",\"contextId\":\"0b1f2d3c-4e5f-4a6b-8c7d-8e9f0a1b2c3d\","
                + "\"bucketId\":\"11111111-2222-4333-8444-555555555555\",\"foreignId\":\"user-7\",\"kind\":\"failed\","
                + "\"reason\":\"PROVIDER_REJECTED: no\",\"ts\":1685009020243},"
                + "{\"messageId\":\"8e3075f1-6b21-825a-bb4f-eeaf0eac93a2\",\"contextId\":\"0b1f2d3c-4e5f-4a6b-8c7d-8e9f0a1b2c3d\","
                + "\"kind\":\"clicked\",\"action\":\"\",\"ts\":1685009020243}]}");
    }

    @Test
    void roundTripsEventsAndPendingPackages() {
        List<Event> events = List.of(
                Event.outcome(MESSAGE, CONTEXT, BUCKET, "ü \"quoted\"", EventKind.SENT, null, TS),
                Event.client(MESSAGE, CONTEXT, null, EventKind.CLOSED, null, TS));
        QueueMessage events1 = new QueueMessage.Events(events);
        QueueMessage events2 = new QueueMessage.Events(events, TS.minusSeconds(5));
        QueueMessage pending = new QueueMessage.PendingPackage("pkg_abc", BUCKET, 3, TS, TS.plusSeconds(60), events);

        assertThat(QueueCodec.decode(QueueCodec.encode(events1))).isEqualTo(events1);
        assertThat(QueueCodec.decode(QueueCodec.encode(events2))).isEqualTo(events2);
        assertThat(QueueCodec.decode(QueueCodec.encode(pending))).isEqualTo(pending);
    }

    @Test
    void ignoresUnknownFields() {
        QueueMessage decoded = QueueCodec.decode("{\"v\":1,\"type\":\"events\",\"extra\":{},\"events\":[{"
                + "\"messageId\":\"" + MESSAGE + "\",\"contextId\":\"" + CONTEXT + "\",\"kind\":\"delivered\","
                + "\"ts\":1,\"later\":true}]}");

        assertThat(decoded.events()).containsExactly(
                Event.client(MESSAGE, CONTEXT, null, EventKind.DELIVERED, null, Instant.ofEpochMilli(1)));
    }

    @Test
    void refusesMessagesOfAnotherFormat() {
        for (String body : List.of("not json", "[]", "{\"type\":\"events\",\"events\":[]}",
                "{\"v\":2,\"type\":\"events\",\"events\":[]}", "{\"v\":1,\"type\":\"other\",\"events\":[]}",
                "{\"v\":1,\"type\":\"events\",\"events\":[{\"messageId\":\"x\"}]}",
                "{\"v\":1,\"type\":\"events\",\"events\":[{\"messageId\":\"" + MESSAGE + "\",\"contextId\":\""
                        + CONTEXT + "\",\"kind\":\"close\",\"ts\":1}]}")) {
            assertThatThrownBy(() -> QueueCodec.decode(body)).as(body)
                    .isInstanceOf(MalformedQueueMessageException.class);
        }
    }
}
