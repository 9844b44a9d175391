package io.pushcore.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.pushcore.model.Event;

/** One SQS message on the event queue; {@link QueueCodec} reads and writes its JSON. */
public sealed interface QueueMessage {

    List<Event> events();

    /**
     * Events from a producer. {@code enqueuedAt} is null when the producer wrote it (the queue's SentTimestamp then
     * says when it was enqueued); the aggregator sets it when it re-enqueues events that are not yet due, so their
     * age keeps counting from the first enqueue.
     */
    record Events(List<Event> events, Instant enqueuedAt) implements QueueMessage {

        public Events {
            events = List.copyOf(events);
        }

        public Events(List<Event> events) {
            this(events, null);
        }
    }

    /**
     * A webhook package whose delivery failed and waits for its next attempt. It keeps its {@code webhookId}, so
     * the customer sees the same {@code webhook-id} on every retry, and its events in body order.
     *
     * @param webhookId the {@code webhook-id} of every attempt of this package
     * @param bucketId the bucket whose callback receives it
     * @param attempts delivery attempts made so far
     * @param firstAttemptAt when the first attempt was made; retries give up 24 h (configurable) after it
     * @param notBefore the earliest time of the next attempt
     */
    record PendingPackage(String webhookId, UUID bucketId, int attempts, Instant firstAttemptAt, Instant notBefore,
            List<Event> events) implements QueueMessage {

        public PendingPackage {
            Objects.requireNonNull(webhookId, "webhookId");
            Objects.requireNonNull(bucketId, "bucketId");
            Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
            Objects.requireNonNull(notBefore, "notBefore");
            events = List.copyOf(events);
        }
    }
}
