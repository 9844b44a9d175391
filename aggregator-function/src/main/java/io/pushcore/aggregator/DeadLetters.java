package io.pushcore.aggregator;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.pushcore.aggregator.storage.DeadLetterReason;
import io.pushcore.aggregator.storage.EventSource;
import io.pushcore.aggregator.storage.EventSource.Received;
import io.pushcore.model.Event;
import io.pushcore.queue.QueueBatches;
import io.pushcore.queue.QueueCodec;

/**
 * Writes to the dead-letter queue, each write with its {@link DeadLetterReason}, and counts what was dead-lettered.
 * Every method says whether the dead-letter queue took it; when not, the caller keeps what it came from.
 */
final class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final EventSource source;
    private final RunCounters counters;
    private final Clock clock;

    DeadLetters(EventSource source, RunCounters counters, Clock clock) {
        this.source = source;
        this.counters = counters;
        this.clock = clock;
    }

    /** A message that is not a queue message of this version, its body unchanged. */
    boolean poison(Received message) {
        try {
            source.deadLetter(message.body(), DeadLetterReason.POISON_MESSAGE, "not a queue message of this version");
            counters.malformedMessage();
            LOG.warn("a malformed queue message was moved to the dead-letter queue");
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("could not dead-letter a malformed queue message (%s)", e.getClass().getSimpleName());
            return false;
        }
    }

    /** Events that have no usable webhook, as event messages. */
    boolean events(List<Event> events, DeadLetterReason reason, String detail) {
        try {
            for (List<String> group : QueueBatches.of(events)) {
                for (String body : group) {
                    source.deadLetter(body, reason, detail);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not dead-letter unroutable events (%s); their message is retried later",
                    e.getClass().getSimpleName());
            return false;
        }
        counters.deadLettered(events.size(), reason);
        LOG.infof("dead-lettered %d events: %s", events.size(), detail);
        return true;
    }

    /** A package, as a pending package (webhook-id and attempts kept, so it can be moved back as it is). */
    boolean pkg(WebhookPackage pkg, DeadLetterReason reason, String detail) {
        Instant at = clock.instant();
        try {
            source.deadLetter(QueueCodec.encode(pkg.toPending(at, at)), reason, detail);
        } catch (RuntimeException e) {
            LOG.warnf("could not dead-letter package %s (%s); its messages return later", pkg.webhookId(),
                    e.getClass().getSimpleName());
            return false;
        }
        counters.deadLettered(pkg.events().size(), reason);
        LOG.warnf("package %s of bucket %s dead-lettered (%s): %d events", pkg.webhookId(), pkg.bucketId(),
                reason.wireName(), pkg.events().size());
        return true;
    }
}
