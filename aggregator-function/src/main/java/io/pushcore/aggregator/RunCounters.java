package io.pushcore.aggregator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.aggregator.storage.DeadLetterReason;

/**
 * What one run did, counted twice: for its {@link AggregationReport} and as Micrometer metrics (names below, each
 * written only here). Thread-safe.
 */
final class RunCounters {

    /** Events by {@code outcome}: delivered, deferred, dropped_none, dead_lettered, malformed (messages). */
    static final String EVENTS = "pushcore.aggregator.events";
    /** Dead-lettered events by {@code reason}. */
    static final String DEAD_LETTERED = "pushcore.aggregator.dead_lettered";
    /** Delivery attempts by {@code outcome}: delivered, gone, forbidden, malformed, failed, skipped. */
    static final String DELIVERIES = "pushcore.webhook.deliveries";
    static final String LATENCY = "pushcore.webhook.latency";
    /** Enqueue to delivery of a package's oldest event. */
    static final String QUEUE_LAG = "pushcore.aggregator.queue.lag";

    private final MeterRegistry metrics;
    private final AtomicInteger packagesDelivered = new AtomicInteger();
    private final AtomicInteger eventsDelivered = new AtomicInteger();
    private final AtomicInteger packagesRetrying = new AtomicInteger();
    private final AtomicInteger eventsDeferred = new AtomicInteger();
    private final AtomicInteger eventsDropped = new AtomicInteger();
    private final AtomicInteger eventsDeadLettered = new AtomicInteger();

    RunCounters(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void delivered(WebhookPackage pkg, Instant at) {
        packagesDelivered.incrementAndGet();
        eventsDelivered.addAndGet(pkg.events().size());
        attempt("delivered");
        events("delivered", pkg.events().size());
        if (pkg.oldestEnqueuedAt() != null) {
            metrics.timer(QUEUE_LAG).record(Duration.between(pkg.oldestEnqueuedAt(), at));
        }
    }

    void retrying() {
        packagesRetrying.incrementAndGet();
    }

    void deferred(int events) {
        eventsDeferred.addAndGet(events);
        events("deferred", events);
    }

    void droppedNone(int events) {
        eventsDropped.addAndGet(events);
        events("dropped_none", events);
    }

    void deadLettered(int events, DeadLetterReason reason) {
        eventsDeadLettered.addAndGet(events);
        events("dead_lettered", events);
        metrics.counter(DEAD_LETTERED, "reason", reason.wireName()).increment(events);
    }

    void malformedMessage() {
        events("malformed", 1);
    }

    /** One delivery attempt's outcome ({@code skipped}: not attempted for lack of time or after a failure). */
    void attempt(String outcome) {
        metrics.counter(DELIVERIES, "outcome", outcome).increment();
    }

    void latency(Duration took) {
        metrics.timer(LATENCY).record(took);
    }

    private void events(String outcome, int amount) {
        metrics.counter(EVENTS, "outcome", outcome).increment(amount);
    }

    AggregationReport report(int messages, int events, long elapsedMillis, long budgetMillis) {
        return new AggregationReport(messages, events, packagesDelivered.get(), eventsDelivered.get(),
                packagesRetrying.get(), eventsDeferred.get(), eventsDropped.get(), eventsDeadLettered.get(),
                elapsedMillis, budgetMillis);
    }
}
