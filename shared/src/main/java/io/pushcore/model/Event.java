package io.pushcore.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One thing that happened to one message, on its way from a producer (send-function, event-function) through SQS
 * to the aggregator and the bucket's webhook.
 *
 * @param messageId the message's id (verified against {@code contextId} before a client event is accepted)
 * @param contextId the context the message was sent from
 * @param bucketId the bucket, when the producer knows it (send-function); null for client events, which the
 *        aggregator routes through the context route
 * @param foreignId the customer's id for the receiver, echoed to the webhook; may be null
 * @param kind what happened
 * @param action for {@link EventKind#CLICKED}: the action the user chose (may be empty or null for a body click)
 * @param reason for {@link EventKind#FAILED} and {@link EventKind#UNREGISTERED}: why, as an {@code ErrorCode}
 *        text; null otherwise
 * @param ts when it happened
 */
public record Event(UUID messageId, UUID contextId, UUID bucketId, String foreignId, EventKind kind, String action,
        String reason, Instant ts) {

    /**
     * The longest {@code foreignId} a producer accepts: a send's receiver and a client event alike (it is echoed to
     * the webhook and reserved room for in every payload).
     */
    public static final int MAX_FOREIGN_ID_LENGTH = 128;

    /** The longest {@code action} a producer accepts: a context's action id and a client's {@code clicked} alike. */
    public static final int MAX_ACTION_LENGTH = 128;

    public Event {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(contextId, "contextId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ts, "ts");
    }

    /** An event reported by a client SDK: no bucket, no reason. */
    public static Event client(UUID messageId, UUID contextId, String foreignId, EventKind kind, String action,
            Instant ts) {
        return new Event(messageId, contextId, null, foreignId, kind, action, null, ts);
    }

    /** An outcome of a send (sent, unregistered, failed), known with its bucket. */
    public static Event outcome(UUID messageId, UUID contextId, UUID bucketId, String foreignId, EventKind kind,
            String reason, Instant ts) {
        return new Event(messageId, contextId, Objects.requireNonNull(bucketId, "bucketId"), foreignId, kind, null,
                reason, ts);
    }
}
