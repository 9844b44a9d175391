package io.pushcore.aggregator;

import java.time.Instant;
import java.util.List;

import io.pushcore.aggregator.storage.EventSource.Received;
import io.pushcore.model.Event;
import io.pushcore.queue.MalformedQueueMessageException;
import io.pushcore.queue.QueueCodec;
import io.pushcore.queue.QueueMessage;

/**
 * A queue message a run holds, decoded once when it is received. Its receipt handle is its identity in the
 * {@link Ledger}; the records are never used as map keys (their event lists would be hashed).
 */
sealed interface HeldMessage {

    Received received();

    default String receiptHandle() {
        return received().receiptHandle();
    }

    /** Events as producers enqueue them; {@code enqueuedAt} is when they were first enqueued. */
    record Events(Received received, Instant enqueuedAt, List<Event> events) implements HeldMessage {
    }

    /** A package that failed before and waits on the queue for its next attempt. */
    record Pending(Received received, QueueMessage.PendingPackage pending) implements HeldMessage {
    }

    /** Not a queue message of this version: a poison message, dead-lettered alone. */
    record Malformed(Received received) implements HeldMessage {
    }

    /** Decodes a received message; {@code now} stands in for a missing SentTimestamp. */
    static HeldMessage decode(Received received, Instant now) {
        Instant sentAt = received.sentAt() == null ? now : received.sentAt();
        QueueMessage message;
        try {
            message = QueueCodec.decode(received.body());
        } catch (MalformedQueueMessageException e) {
            return new Malformed(received);
        }
        return switch (message) {
            case QueueMessage.Events batch -> new Events(received,
                    batch.enqueuedAt() != null ? batch.enqueuedAt() : sentAt, batch.events());
            case QueueMessage.PendingPackage pending -> new Pending(received, pending);
        };
    }

    /** Events the message carries (none when malformed). */
    default int eventCount() {
        return switch (this) {
            case Events events -> events.events().size();
            case Pending pending -> pending.pending().events().size();
            case Malformed malformed -> 0;
        };
    }
}
