package io.pushcore.aggregator.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The event queue as the aggregator uses it: receive, hide until due, delete once settled, re-enqueue. */
public interface EventSource {

    /** One received message; {@code sentAt} is when it was first enqueued (null when the queue does not say). */
    record Received(String receiptHandle, String body, Instant sentAt) {
    }

    /**
     * Up to 10 messages; empty when the queue has nothing visible. Waits briefly when it is empty, since an
     * immediate answer from SQS samples only some of its servers and may be empty while messages exist.
     */
    List<Received> receive();

    /** Deletes settled messages; a failure only means they come back later (at-least-once). */
    void delete(Collection<String> receiptHandles);

    /** Hides a received message for {@code delay} (capped at the queue's maximum) so it comes back when due. */
    void hide(String receiptHandle, Duration delay);

    /**
     * Enqueues a message that becomes visible after {@code delay} (capped at the queue's maximum delay).
     *
     * @throws RuntimeException when the queue did not take it
     */
    void send(String body, Duration delay);

    /**
     * Puts a message on the dead-letter queue with its reason: the body unchanged (a queue message, so it can be
     * moved back to the event queue as it is), the reason in the {@link #REASON_ATTRIBUTE} message attribute and a
     * short explanation (never a secret) in {@link #DETAIL_ATTRIBUTE}.
     *
     * @throws RuntimeException when the dead-letter queue did not take it
     */
    void deadLetter(String body, DeadLetterReason reason, String detail);

    /** Message attribute of a dead-letter message: its {@link DeadLetterReason#wireName()}. */
    String REASON_ATTRIBUTE = "pushcore-reason";

    /** Message attribute of a dead-letter message: what happened, in a few words. */
    String DETAIL_ATTRIBUTE = "pushcore-detail";
}
