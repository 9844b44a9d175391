package io.pushcore.aggregator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.aggregator.storage.DeadLetterReason;
import io.pushcore.aggregator.storage.EventSource;
import io.pushcore.aggregator.storage.RouteReader;
import io.pushcore.aggregator.webhook.DeliveryOutcome;
import io.pushcore.aggregator.webhook.WebhookBody;
import io.pushcore.aggregator.webhook.WebhookDeliverer;
import io.pushcore.queue.QueueCodec;
import io.pushcore.route.Callback;

/**
 * Deliver: one run's packages, concurrently, each to its bucket's webhook, then tells the {@link Ledger} how each
 * ended. A webhook holds at most {@code aggregator.webhook.per-webhook-concurrency} of the
 * {@code aggregator.webhook.concurrency} delivery slots, so a slow webhook holds up only its own packages. An attempt
 * starts only while it can end (its hard {@code webhook.timeout}) {@code run.margin} before the run's deadline; a
 * package that cannot start in time, or whose webhook already failed in this run, goes back on the queue without an
 * attempt. A failed package goes back with exponential backoff and jitter (Retry-After honoured up to
 * {@code max-backoff}, never past the give-up time), and to the dead-letter queue {@code give-up-after} after its
 * first attempt.
 */
final class PackageDelivery {

    private static final Logger LOG = Logger.getLogger(PackageDelivery.class);

    /** Per-bucket state shared by one run's concurrent deliveries. */
    private static final class Slots {
        final Semaphore inFlight;
        volatile boolean failed;
        volatile boolean gone;

        Slots(int concurrency) {
            this.inFlight = new Semaphore(concurrency);
        }
    }

    private final EventSource source;
    private final Routing routing;
    private final WebhookDeliverer deliverer;
    private final DeadLetters deadLetters;
    private final Ledger ledger;
    private final RunCounters counters;
    private final Clock clock;
    private final AggregatorConfig config;
    private final long deadlineNanos;

    PackageDelivery(EventSource source, Routing routing, WebhookDeliverer deliverer, DeadLetters deadLetters,
            Ledger ledger, RunCounters counters, Clock clock, AggregatorConfig config, long deadlineNanos) {
        this.source = source;
        this.routing = routing;
        this.deliverer = deliverer;
        this.deadLetters = deadLetters;
        this.ledger = ledger;
        this.counters = counters;
        this.clock = clock;
        this.config = config;
        this.deadlineNanos = deadlineNanos;
    }

    /** Delivers every package and returns when each has settled or been released, before the run's deadline. */
    void deliverAll(List<WebhookPackage> packages) {
        Map<UUID, Slots> buckets = new HashMap<>();
        Semaphore global = new Semaphore(Math.max(1, config.webhook().concurrency()));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (WebhookPackage pkg : packages) {
                Slots slots = buckets.computeIfAbsent(pkg.bucketId(),
                        id -> new Slots(Math.max(1, config.webhook().perWebhookConcurrency())));
                pool.submit(() -> {
                    try {
                        deliver(pkg, slots, global);
                    } catch (Exception e) {
                        LOG.error("a package delivery failed unexpectedly; its messages return later", e);
                        ledger.released(pkg);
                    }
                });
            }
        }
    }

    private void deliver(WebhookPackage pkg, Slots slots, Semaphore global) throws InterruptedException {
        Callback.Http webhook;
        try {
            switch (routing.ofBucket(pkg.bucketId())) {
                case Routing.Route.Webhook route -> webhook = route.webhook();
                case Routing.Route.Drop drop -> {
                    counters.droppedNone(pkg.events().size());
                    ledger.settled(pkg);
                    return;
                }
                case Routing.Route.Dead dead -> {
                    deadLetter(pkg, dead.reason(), dead.detail());
                    return;
                }
            }
        } catch (RouteReader.Unavailable e) {
            reschedule(pkg, false, Optional.empty());
            return;
        }
        long latestStart = deadlineNanos - config.run().margin().toNanos() - config.webhook().timeout().toNanos();
        if (!slots.inFlight.tryAcquire(Math.max(0, latestStart - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            skip(pkg);
            return;
        }
        try {
            if (!global.tryAcquire(Math.max(0, latestStart - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                skip(pkg);
                return;
            }
            try {
                attempt(pkg, slots, webhook, latestStart);
            } finally {
                global.release();
            }
        } finally {
            slots.inFlight.release();
        }
    }

    private void attempt(WebhookPackage pkg, Slots slots, Callback.Http webhook, long latestStart) {
        if (slots.gone) {
            Routing.Route.Dead gone = Routing.gone(pkg.bucketId());
            deadLetter(pkg, gone.reason(), gone.detail());
            return;
        }
        if (slots.failed || System.nanoTime() > latestStart) {
            skip(pkg);
            return;
        }
        long started = System.nanoTime();
        DeliveryOutcome outcome;
        try {
            outcome = deliverer.deliver(webhook, pkg.webhookId(), WebhookBody.of(pkg.events()),
                    deadlineNanos - config.run().margin().toNanos());
        } catch (RuntimeException e) {
            LOG.error("webhook delivery failed unexpectedly", e);
            outcome = new DeliveryOutcome.Failed("unexpected " + e.getClass().getSimpleName(), Optional.empty());
        }
        counters.latency(Duration.ofNanos(System.nanoTime() - started));
        switch (outcome) {
            case DeliveryOutcome.Delivered ok -> {
                counters.delivered(pkg, clock.instant());
                ledger.settled(pkg);
            }
            case DeliveryOutcome.Gone gone -> {
                slots.gone = true;
                counters.attempt("gone");
                routing.disable(pkg.bucketId(), clock.instant());
                LOG.infof("webhook of bucket %s answered 410: disabled", pkg.bucketId());
                Routing.Route.Dead dead = Routing.gone(pkg.bucketId());
                deadLetter(pkg, dead.reason(), dead.detail());
            }
            case DeliveryOutcome.Forbidden forbidden -> {
                counters.attempt("forbidden");
                deadLetter(pkg, DeadLetterReason.REFUSED_BY_POLICY, "webhook of bucket " + pkg.bucketId() + ": "
                        + forbidden.reason());
            }
            case DeliveryOutcome.Malformed malformed -> {
                counters.attempt("malformed");
                deadLetter(pkg, DeadLetterReason.MALFORMED_WEBHOOK, "webhook of bucket " + pkg.bucketId() + ": "
                        + malformed.reason());
            }
            case DeliveryOutcome.Failed failed -> {
                slots.failed = true;
                counters.attempt("failed");
                LOG.debugf("webhook of bucket %s failed: %s", pkg.bucketId(), failed.reason());
                reschedule(pkg, true, failed.retryAfter());
            }
        }
    }

    private void skip(WebhookPackage pkg) {
        counters.attempt("skipped");
        reschedule(pkg, false, Optional.empty());
    }

    private void deadLetter(WebhookPackage pkg, DeadLetterReason reason, String detail) {
        if (deadLetters.pkg(pkg, reason, detail)) {
            ledger.settled(pkg);
        } else {
            ledger.released(pkg);
        }
    }

    /**
     * Puts a package back on the queue for a later attempt, or on the dead-letter queue when it gave up. The wait
     * honours Retry-After up to {@code max-backoff} and never goes past the give-up time, so a package is tried (or
     * dead-lettered) once more before the queue's retention could lose it.
     */
    private void reschedule(WebhookPackage pkg, boolean attempted, Optional<Duration> retryAfter) {
        Instant at = clock.instant();
        int attempts = pkg.attempts() + (attempted ? 1 : 0);
        Instant first = pkg.firstAttemptAt() != null ? pkg.firstAttemptAt() : at;
        Instant giveUpAt = first.plus(config.retry().giveUpAfter());
        WebhookPackage next = pkg.attempted(attempts, first);
        if (attempted && !at.isBefore(giveUpAt)) {
            if (deadLetters.pkg(next, DeadLetterReason.GAVE_UP, "gave up after " + attempts + " attempts")) {
                ledger.settled(pkg);
            } else {
                ledger.released(pkg);
            }
            return;
        }
        Duration delay = attempts == 0 ? config.retry().initialBackoff() : backoff(attempts);
        if (retryAfter.isPresent()) {
            Duration asked = retryAfter.get().compareTo(config.retry().maxBackoff()) > 0
                    ? config.retry().maxBackoff() : retryAfter.get();
            delay = asked.compareTo(delay) > 0 ? asked : delay;
        }
        if (at.plus(delay).isAfter(giveUpAt)) {
            delay = giveUpAt.isAfter(at) ? Duration.between(at, giveUpAt) : Duration.ZERO;
        }
        try {
            source.send(QueueCodec.encode(next.toPending(at, at.plus(delay))), delay);
        } catch (RuntimeException e) {
            LOG.warnf("could not put package %s back on the queue (%s); its messages return later",
                    pkg.webhookId(), e.getClass().getSimpleName());
            ledger.released(pkg);
            return;
        }
        counters.retrying();
        ledger.settled(pkg);
    }

    /** Exponential from the initial backoff, capped, with jitter in [½, 1] of the step. */
    private Duration backoff(int attempts) {
        long initial = config.retry().initialBackoff().toMillis();
        long cap = config.retry().maxBackoff().toMillis();
        long step = attempts >= 40 ? cap : Math.min(cap, initial << Math.min(attempts - 1, 30));
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }
}
