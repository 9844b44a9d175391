package io.pushcore.aggregator;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.pushcore.model.Event;
import io.pushcore.queue.QueueMessage;

/**
 * One bucket's events for one webhook delivery: new ({@code attempts == 0}, a fresh {@code webhookId}) or a pending
 * package from the queue, which keeps its {@code webhookId} so the customer can de-duplicate retries.
 *
 * @param firstAttemptAt null until the first attempt
 * @param oldestEnqueuedAt when its oldest event was enqueued (queue lag); null for a pending package
 * @param sources receipt handles of the held messages its events came from, each once (the {@link Ledger}'s keys)
 */
record WebhookPackage(String webhookId, UUID bucketId, List<Event> events, int attempts, Instant firstAttemptAt,
        Instant oldestEnqueuedAt, List<String> sources) {

    WebhookPackage {
        events = List.copyOf(events);
        sources = List.copyOf(sources);
    }

    static WebhookPackage fresh(UUID bucketId, List<Event> events, Instant oldestEnqueuedAt, List<String> sources) {
        return new WebhookPackage("pkg_" + UUID.randomUUID().toString().replace("-", ""), bucketId, events, 0, null,
                oldestEnqueuedAt, sources);
    }

    static WebhookPackage pending(HeldMessage.Pending message) {
        QueueMessage.PendingPackage pending = message.pending();
        return new WebhookPackage(pending.webhookId(), pending.bucketId(), pending.events(), pending.attempts(),
                pending.firstAttemptAt(), null, List.of(message.receiptHandle()));
    }

    /** The same package after {@code attempts} attempts, the first at {@code first}. */
    WebhookPackage attempted(int attempts, Instant first) {
        return new WebhookPackage(webhookId, bucketId, events, attempts, first, oldestEnqueuedAt, sources);
    }

    /** As it waits on a queue: its first attempt counts from {@code at} if it had none. */
    QueueMessage.PendingPackage toPending(Instant at, Instant notBefore) {
        return new QueueMessage.PendingPackage(webhookId, bucketId, attempts,
                firstAttemptAt != null ? firstAttemptAt : at, notBefore, events);
    }
}
