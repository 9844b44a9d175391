package io.pushcore.aggregator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.aggregator.storage.DeadLetterReason;
import io.pushcore.aggregator.storage.EventSource;
import io.pushcore.aggregator.storage.EventSource.Received;
import io.pushcore.aggregator.storage.RouteReader;
import io.pushcore.aggregator.webhook.DeliveryOutcome;
import io.pushcore.aggregator.webhook.WebhookBody;
import io.pushcore.aggregator.webhook.WebhookDeliverer;
import io.pushcore.model.Event;
import io.pushcore.queue.MalformedQueueMessageException;
import io.pushcore.queue.QueueBatches;
import io.pushcore.queue.QueueCodec;
import io.pushcore.queue.QueueMessage;
import io.pushcore.route.Callback;

/**
 * One aggregator run (SPEC §4): drain the event queue, route each event to its bucket's webhook (context → bucket →
 * callback, {@code io.pushcore.route}), group per bucket, and deliver a package when it holds
 * {@code aggregator.flush.max-events} events or its oldest event was enqueued {@code max-age} ago. Events not yet
 * due stay on the queue, hidden until they are.
 *
 * <p>
 * Delivery is at least once: a queue message is deleted only after every package holding its events was accepted
 * (2xx) or durably put back on the queue. A failed package goes back as a pending package that keeps its
 * {@code webhook-id}, and is retried with exponential backoff and jitter (honouring Retry-After) until
 * {@code aggregator.retry.give-up-after} after its first attempt, then goes to the dead-letter queue (also when it is
 * found past that time without another attempt; Retry-After counts up to {@code max-backoff}). Callback {@code none}
 * drops its events after counting them; every other event that cannot be delivered goes to the dead-letter queue
 * with its {@link DeadLetterReason} (route missing or corrupt, malformed webhook, refused by policy, 410 gone, poison
 * message). Packages are delivered concurrently; each attempt has a hard deadline (connect, headers and body) and
 * starts only while it can end {@code aggregator.run.margin} before the run's budget, so the run ends within it and a
 * slow or dead webhook holds up only its own packages.
 *
 * <p>
 * Metrics: {@code pushcore.aggregator.events} by {@code outcome}, {@code pushcore.aggregator.dead_lettered} (events)
 * by {@code reason}, {@code pushcore.webhook.deliveries} by {@code outcome}, {@code pushcore.aggregator.queue.lag}
 * (enqueue to delivery of a package's oldest event).
 */
@ApplicationScoped
public class EventAggregator {

    private static final Logger LOG = Logger.getLogger(EventAggregator.class);
    /** Space a pending package needs on the queue beyond its events. */
    private static final int PACKAGE_OVERHEAD_BYTES = 256;

    private final EventSource source;
    private final RouteReader routes;
    private final WebhookDeliverer deliverer;
    private final Clock clock;
    private final AggregatorConfig config;
    private final MeterRegistry metrics;

    EventAggregator(EventSource source, RouteReader routes, WebhookDeliverer deliverer, Clock clock,
            AggregatorConfig config, MeterRegistry metrics) {
        this.source = source;
        this.routes = routes;
        this.deliverer = deliverer;
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
    }

    /** Runs once within {@code budget} (wall-clock) and reports what it did. */
    public AggregationReport run(Duration budget) {
        long started = System.nanoTime();
        return new Run(started, started + budget.toNanos()).execute();
    }

    /** A queue message held during a run, with what became of its events. */
    private static final class Held {
        final Received received;
        final Instant enqueuedAt;
        final List<Package> packages = new ArrayList<>();
        final List<Event> remainder = new ArrayList<>();
        Instant remainderDueAt;
        boolean remainderSettled;

        Held(Received received, Instant enqueuedAt) {
            this.received = received;
            this.enqueuedAt = enqueuedAt;
        }
    }

    private record Item(Event event, Held held) {
    }

    /** A package being delivered in this run: new ({@code attempts == 0}) or a pending one from the queue. */
    private static final class Package {
        final String webhookId;
        final UUID bucketId;
        final List<Event> events;
        final int attempts;
        final Instant firstAttemptAt;
        final Instant oldestEnqueuedAt;
        final Held pendingMessage;
        volatile boolean settled;

        Package(String webhookId, UUID bucketId, List<Event> events, int attempts, Instant firstAttemptAt,
                Instant oldestEnqueuedAt, Held pendingMessage) {
            this.webhookId = webhookId;
            this.bucketId = bucketId;
            this.events = events;
            this.attempts = attempts;
            this.firstAttemptAt = firstAttemptAt;
            this.oldestEnqueuedAt = oldestEnqueuedAt;
            this.pendingMessage = pendingMessage;
        }
    }

    /** Per-bucket state shared by the concurrent deliveries of one run. */
    private static final class BucketRun {
        final Semaphore inFlight;
        volatile boolean failed;
        volatile boolean gone;

        BucketRun(int concurrency) {
            this.inFlight = new Semaphore(concurrency);
        }
    }

    private final class Run {
        final long startedNanos;
        final long deadlineNanos;
        final Instant now = clock.instant();
        final List<Held> held = Collections.synchronizedList(new ArrayList<>());
        final Map<Held, QueueMessage> decoded = Collections.synchronizedMap(new IdentityHashMap<>());
        final List<Package> packages = new ArrayList<>();
        final Map<UUID, Callback.Http> webhooks = new HashMap<>();
        final Map<UUID, Optional<UUID>> contextRoutes = new HashMap<>();
        final Map<UUID, Optional<RouteReader.Target>> targets = new HashMap<>();
        final AtomicInteger events = new AtomicInteger();
        final AtomicLong heldBytes = new AtomicLong();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger deliveredEvents = new AtomicInteger();
        final AtomicInteger retrying = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();
        final AtomicInteger deadLettered = new AtomicInteger();
        int deferred;

        Run(long startedNanos, long deadlineNanos) {
            this.startedNanos = startedNanos;
            this.deadlineNanos = deadlineNanos;
        }

        AggregationReport execute() {
            drain();
            Set<Held> unresolved = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<Held> deferredWhole = Collections.newSetFromMap(new IdentityHashMap<>());
            Map<UUID, List<Item>> groups = new LinkedHashMap<>();
            for (Held message : held) {
                switch (decoded.get(message)) {
                    case null -> deadLetterMalformed(message);
                    case QueueMessage.PendingPackage pending -> {
                        Instant giveUpAt = pending.firstAttemptAt().plus(config.retry().giveUpAfter());
                        if (!now.isBefore(giveUpAt)) {
                            Package pkg = new Package(pending.webhookId(), pending.bucketId(), pending.events(),
                                    pending.attempts(), pending.firstAttemptAt(), null, message);
                            packages.add(pkg);
                            deadLetter(pkg, DeadLetterReason.GAVE_UP, "gave up after " + pending.attempts()
                                    + " attempts");
                        } else if (pending.notBefore().isAfter(now)) {
                            Instant next = pending.notBefore().isAfter(giveUpAt) ? giveUpAt : pending.notBefore();
                            source.hide(message.received.receiptHandle(), Duration.between(now, next));
                            deferredWhole.add(message);
                        } else {
                            packages.add(new Package(pending.webhookId(), pending.bucketId(), pending.events(),
                                    pending.attempts(), pending.firstAttemptAt(), null, message));
                        }
                    }
                    case QueueMessage.Events batch -> {
                        try {
                            if (!route(message, batch.events(), groups)) {
                                unresolved.add(message);
                            }
                        } catch (RuntimeException e) {
                            // a poison message: only its own events leave, the run goes on
                            LOG.errorf(e, "routing a queue message failed unexpectedly; it is dead-lettered");
                            deadLetterMalformed(message);
                            unresolved.add(message);
                        }
                    }
                }
            }
            formPackages(groups);
            deliverAll();
            settleRemainders(deferredWhole);
            deleteSettled(unresolved, deferredWhole);
            return new AggregationReport(held.size(), events.get(), delivered.get(), deliveredEvents.get(),
                    retrying.get(), deferred, dropped.get(), deadLettered.get(),
                    (System.nanoTime() - startedNanos) / 1_000_000, (deadlineNanos - startedNanos) / 1_000_000);
        }

        /**
         * Receives until the queue is empty, half the budget is spent, or the run holds its maximum of events or of
         * message bytes ({@code aggregator.run.max-events}, {@code max-bytes}).
         */
        void drain() {
            long drainDeadline = System.nanoTime() + (deadlineNanos - System.nanoTime()) / 2;
            int receivers = Math.max(1, config.queue().receivers());
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < receivers; i++) {
                    pool.submit(() -> {
                        while (System.nanoTime() < drainDeadline && events.get() < config.run().maxEvents()
                                && heldBytes.get() < config.run().maxBytes()) {
                            List<Received> batch = source.receive();
                            if (batch.isEmpty()) {
                                return null;
                            }
                            for (Received received : batch) {
                                accept(received);
                            }
                        }
                        return null;
                    });
                }
            }
        }

        void accept(Received received) {
            heldBytes.addAndGet(received.body().length());
            Instant sentAt = received.sentAt() == null ? now : received.sentAt();
            QueueMessage message;
            try {
                message = QueueCodec.decode(received.body());
            } catch (MalformedQueueMessageException e) {
                Held h = new Held(received, sentAt);
                held.add(h);
                return;
            }
            Instant enqueuedAt = message instanceof QueueMessage.Events batch && batch.enqueuedAt() != null
                    ? batch.enqueuedAt()
                    : sentAt;
            Held h = new Held(received, enqueuedAt);
            decoded.put(h, message);
            held.add(h);
            events.addAndGet(message.events().size());
        }

        void deadLetterMalformed(Held message) {
            try {
                source.deadLetter(message.received.body(), DeadLetterReason.POISON_MESSAGE,
                        "not a queue message of this version");
                source.delete(List.of(message.received.receiptHandle()));
                count("pushcore.aggregator.events", "malformed", 1);
                LOG.warn("a malformed queue message was moved to the dead-letter queue");
            } catch (RuntimeException e) {
                LOG.warnf("could not dead-letter a malformed queue message (%s)", e.getClass().getSimpleName());
            }
        }

        /**
         * Routes a message's events into groups; false (nothing grouped) when a route could not be read. Events with
         * no usable webhook (other than callback {@code none}) go to the dead-letter queue with their reason first;
         * false too when that failed, so the message comes back.
         */
        boolean route(Held message, List<Event> batch, Map<UUID, List<Item>> groups) {
            List<Map.Entry<UUID, Item>> routed = new ArrayList<>(batch.size());
            Map<String, List<Event>> dead = new LinkedHashMap<>();
            Map<String, DeadLetterReason> reasons = new HashMap<>();
            try {
                for (Event event : batch) {
                    UUID bucketId;
                    Optional<RouteReader.Target> target;
                    try {
                        bucketId = event.bucketId() != null ? event.bucketId()
                                : contextRoutes.computeIfAbsent(event.contextId(), routes::bucketOf).orElse(null);
                        target = bucketId == null ? Optional.empty()
                                : targets.computeIfAbsent(bucketId, routes::target);
                    } catch (RouteReader.Unusable e) {
                        dead.computeIfAbsent(e.getMessage(), d -> new ArrayList<>()).add(event);
                        reasons.put(e.getMessage(), e.reason());
                        continue;
                    }
                    switch (target.map(RouteReader.Target::callback).orElse(null)) {
                        case null -> {
                            String detail = bucketId == null ? "no route for context " + event.contextId()
                                    : "no route for bucket " + bucketId;
                            dead.computeIfAbsent(detail, d -> new ArrayList<>()).add(event);
                            reasons.put(detail, DeadLetterReason.ROUTE_MISSING);
                        }
                        case Callback.None none -> {
                            dropped.incrementAndGet();
                            count("pushcore.aggregator.events", "dropped_none", 1);
                        }
                        case Callback.Http http when target.get().disabled() -> {
                            String detail = "webhook of bucket " + bucketId + " answered 410";
                            dead.computeIfAbsent(detail, d -> new ArrayList<>()).add(event);
                            reasons.put(detail, DeadLetterReason.WEBHOOK_GONE);
                        }
                        case Callback.Http http -> {
                            webhooks.put(bucketId, http);
                            routed.add(Map.entry(bucketId, new Item(event, message)));
                        }
                    }
                }
            } catch (RouteReader.Unavailable e) {
                LOG.warnf("routes unavailable (%s); the message is retried later", e.getMessage());
                return false;
            }
            try {
                dead.forEach((detail, events) -> deadLetterEvents(events, reasons.get(detail), detail));
            } catch (RuntimeException e) {
                LOG.warnf("could not dead-letter unroutable events (%s); the message is retried later",
                        e.getClass().getSimpleName());
                return false;
            }
            routed.forEach(entry -> groups.computeIfAbsent(entry.getKey(), id -> new ArrayList<>())
                    .add(entry.getValue()));
            return true;
        }

        void deadLetterEvents(List<Event> events, DeadLetterReason reason, String detail) {
            for (List<String> group : QueueBatches.of(events)) {
                for (String body : group) {
                    source.deadLetter(body, reason, detail);
                }
            }
            deadLettered(events.size(), reason);
            LOG.infof("dead-lettered %d events: %s", events.size(), detail);
        }

        /** Cuts each bucket's events, oldest first, into packages; a last partial package waits until due. */
        void formPackages(Map<UUID, List<Item>> groups) {
            int maxEvents = config.flush().maxEvents();
            int maxBytes = Math.min(config.flush().maxBytes(), QueueBatches.DEFAULT_BUDGET_BYTES
                    - PACKAGE_OVERHEAD_BYTES);
            groups.forEach((bucketId, items) -> {
                items.sort(Comparator.comparing(item -> item.held().enqueuedAt));
                List<Item> current = new ArrayList<>();
                int bytes = 0;
                for (Item item : items) {
                    int size = QueueCodec.encodedEventBytes(item.event()) + 1;
                    if (!current.isEmpty() && (current.size() >= maxEvents || bytes + size > maxBytes)) {
                        addPackage(bucketId, current);
                        current = new ArrayList<>();
                        bytes = 0;
                    }
                    current.add(item);
                    bytes += size;
                }
                if (current.isEmpty()) {
                    return;
                }
                Instant dueAt = current.get(0).held().enqueuedAt.plus(config.flush().maxAge());
                if (current.size() >= maxEvents || !dueAt.isAfter(now)) {
                    addPackage(bucketId, current);
                } else {
                    for (Item item : current) {
                        Held message = item.held();
                        message.remainder.add(item.event());
                        if (message.remainderDueAt == null || dueAt.isBefore(message.remainderDueAt)) {
                            message.remainderDueAt = dueAt;
                        }
                    }
                    deferred += current.size();
                    count("pushcore.aggregator.events", "deferred", current.size());
                }
            });
        }

        void addPackage(UUID bucketId, List<Item> items) {
            Package pkg = new Package(newWebhookId(), bucketId, items.stream().map(Item::event).toList(), 0, null,
                    items.get(0).held().enqueuedAt, null);
            packages.add(pkg);
            Set<Held> sources = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Item item : items) {
                if (sources.add(item.held())) {
                    item.held().packages.add(pkg);
                }
            }
        }

        void deliverAll() {
            Map<UUID, BucketRun> buckets = new ConcurrentHashMap<>();
            Semaphore global = new Semaphore(Math.max(1, config.webhook().concurrency()));
            List<Future<?>> running = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Package pkg : packages) {
                    if (pkg.settled) {
                        continue;
                    }
                    BucketRun bucket = buckets.computeIfAbsent(pkg.bucketId,
                            id -> new BucketRun(Math.max(1, config.webhook().perWebhookConcurrency())));
                    running.add(pool.submit(() -> {
                        deliver(pkg, bucket, global);
                        return null;
                    }));
                }
            }
            for (Future<?> future : running) {
                if (future.state() == Future.State.FAILED) {
                    LOG.error("a package delivery failed unexpectedly", future.exceptionNow());
                }
            }
        }

        void deliver(Package pkg, BucketRun bucket, Semaphore global) throws InterruptedException {
            Callback.Http webhook = webhooks.get(pkg.bucketId);
            if (webhook == null) {
                Optional<RouteReader.Target> target;
                try {
                    target = routes.target(pkg.bucketId);
                } catch (RouteReader.Unavailable e) {
                    reschedule(pkg, false, Optional.empty());
                    return;
                } catch (RouteReader.Unusable e) {
                    deadLetter(pkg, e.reason(), e.getMessage());
                    return;
                }
                if (target.isEmpty()) {
                    deadLetter(pkg, DeadLetterReason.ROUTE_MISSING, "no route for bucket " + pkg.bucketId);
                    return;
                }
                if (!(target.get().callback() instanceof Callback.Http http)) {
                    drop(pkg, "dropped_none");
                    return;
                }
                if (target.get().disabled()) {
                    deadLetter(pkg, DeadLetterReason.WEBHOOK_GONE, "webhook of bucket " + pkg.bucketId
                            + " answered 410");
                    return;
                }
                webhook = http;
            }
            // an attempt starts only while it can end (timeout) before the run's deadline less the margin
            long margin = config.run().margin().toNanos();
            long latestStart = deadlineNanos - margin - config.webhook().timeout().toNanos();
            if (!bucket.inFlight.tryAcquire(Math.max(0, latestStart - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                count("pushcore.webhook.deliveries", "skipped", 1);
                reschedule(pkg, false, Optional.empty());
                return;
            }
            try {
                if (!global.tryAcquire(Math.max(0, latestStart - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    count("pushcore.webhook.deliveries", "skipped", 1);
                    reschedule(pkg, false, Optional.empty());
                    return;
                }
                try {
                    attempt(pkg, bucket, webhook, latestStart);
                } finally {
                    global.release();
                }
            } finally {
                bucket.inFlight.release();
            }
        }

        void attempt(Package pkg, BucketRun bucket, Callback.Http webhook, long latestStart) {
            if (bucket.gone) {
                deadLetter(pkg, DeadLetterReason.WEBHOOK_GONE, "webhook of bucket " + pkg.bucketId
                        + " answered 410");
                return;
            }
            if (bucket.failed || System.nanoTime() > latestStart) {
                count("pushcore.webhook.deliveries", "skipped", 1);
                reschedule(pkg, false, Optional.empty());
                return;
            }
            long started = System.nanoTime();
            DeliveryOutcome outcome;
            try {
                outcome = deliverer.deliver(webhook, pkg.webhookId, WebhookBody.of(pkg.events),
                        deadlineNanos - config.run().margin().toNanos());
            } catch (RuntimeException e) {
                LOG.error("webhook delivery failed unexpectedly", e);
                outcome = new DeliveryOutcome.Failed("unexpected " + e.getClass().getSimpleName(),
                        Optional.empty());
            }
            metrics.timer("pushcore.webhook.latency").record(Duration.ofNanos(System.nanoTime() - started));
            switch (outcome) {
                case DeliveryOutcome.Delivered ok -> {
                    pkg.settled = true;
                    delivered.incrementAndGet();
                    deliveredEvents.addAndGet(pkg.events.size());
                    count("pushcore.webhook.deliveries", "delivered", 1);
                    count("pushcore.aggregator.events", "delivered", pkg.events.size());
                    if (pkg.oldestEnqueuedAt != null) {
                        metrics.timer("pushcore.aggregator.queue.lag")
                                .record(Duration.between(pkg.oldestEnqueuedAt, clock.instant()));
                    }
                }
                case DeliveryOutcome.Gone gone -> {
                    bucket.gone = true;
                    count("pushcore.webhook.deliveries", "gone", 1);
                    routes.disable(pkg.bucketId, clock.instant());
                    LOG.infof("webhook of bucket %s answered 410: disabled", pkg.bucketId);
                    deadLetter(pkg, DeadLetterReason.WEBHOOK_GONE, "webhook of bucket " + pkg.bucketId
                            + " answered 410");
                }
                case DeliveryOutcome.Forbidden forbidden -> {
                    count("pushcore.webhook.deliveries", "forbidden", 1);
                    deadLetter(pkg, DeadLetterReason.REFUSED_BY_POLICY, "webhook of bucket " + pkg.bucketId + ": "
                            + forbidden.reason());
                }
                case DeliveryOutcome.Malformed malformed -> {
                    count("pushcore.webhook.deliveries", "malformed", 1);
                    deadLetter(pkg, DeadLetterReason.MALFORMED_WEBHOOK, "webhook of bucket " + pkg.bucketId + ": "
                            + malformed.reason());
                }
                case DeliveryOutcome.Failed failed -> {
                    bucket.failed = true;
                    count("pushcore.webhook.deliveries", "failed", 1);
                    LOG.debugf("webhook of bucket %s failed: %s", pkg.bucketId, failed.reason());
                    reschedule(pkg, true, failed.retryAfter());
                }
            }
        }

        void drop(Package pkg, String outcome) {
            pkg.settled = true;
            dropped.addAndGet(pkg.events.size());
            count("pushcore.aggregator.events", outcome, pkg.events.size());
        }

        /** Puts the package on the dead-letter queue (as a pending package) with its reason. */
        void deadLetter(Package pkg, DeadLetterReason reason, String detail) {
            Instant at = clock.instant();
            try {
                source.deadLetter(QueueCodec.encode(new QueueMessage.PendingPackage(pkg.webhookId, pkg.bucketId,
                        pkg.attempts, pkg.firstAttemptAt != null ? pkg.firstAttemptAt : at, at, pkg.events)),
                        reason, detail);
                pkg.settled = true;
                deadLettered(pkg.events.size(), reason);
                LOG.warnf("package %s of bucket %s dead-lettered (%s): %d events", pkg.webhookId, pkg.bucketId,
                        reason.wireName(), pkg.events.size());
            } catch (RuntimeException e) {
                LOG.warnf("could not dead-letter package %s (%s); its messages return later", pkg.webhookId,
                        e.getClass().getSimpleName());
            }
        }

        void deadLettered(int events, DeadLetterReason reason) {
            deadLettered.addAndGet(events);
            count("pushcore.aggregator.events", "dead_lettered", events);
            metrics.counter("pushcore.aggregator.dead_lettered", "reason", reason.wireName()).increment(events);
        }

        /**
         * Puts a package back on the queue for a later attempt, or on the dead-letter queue when it gave up. The wait
         * honours Retry-After up to {@code max-backoff} and never goes past the give-up time, so a package is tried
         * (or dead-lettered) once more before the queue's retention could lose it.
         */
        void reschedule(Package pkg, boolean attempted, Optional<Duration> retryAfter) {
            Instant at = clock.instant();
            int attempts = pkg.attempts + (attempted ? 1 : 0);
            Instant first = pkg.firstAttemptAt != null ? pkg.firstAttemptAt : at;
            Instant giveUpAt = first.plus(config.retry().giveUpAfter());
            if (attempted && !at.isBefore(giveUpAt)) {
                deadLetter(new Package(pkg.webhookId, pkg.bucketId, pkg.events, attempts, first,
                        pkg.oldestEnqueuedAt, pkg.pendingMessage), DeadLetterReason.GAVE_UP, "gave up after "
                                + attempts + " attempts");
                pkg.settled = true;
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
                source.send(QueueCodec.encode(new QueueMessage.PendingPackage(pkg.webhookId, pkg.bucketId,
                        attempts, first, at.plus(delay), pkg.events)), delay);
                pkg.settled = true;
                retrying.incrementAndGet();
            } catch (RuntimeException e) {
                LOG.warnf("could not put package %s back on the queue (%s); its messages return later",
                        pkg.webhookId, e.getClass().getSimpleName());
            }
        }

        /** Exponential from the initial backoff, capped, with jitter in [½, 1] of the step. */
        Duration backoff(int attempts) {
            long initial = config.retry().initialBackoff().toMillis();
            long cap = config.retry().maxBackoff().toMillis();
            long step = attempts >= 40 ? cap : Math.min(cap, initial << Math.min(attempts - 1, 30));
            return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
        }

        /** Hides messages whose events are all waiting, and re-enqueues the waiting part of mixed messages. */
        void settleRemainders(Set<Held> deferredWhole) {
            for (Held message : held) {
                if (message.remainder.isEmpty()) {
                    continue;
                }
                Duration untilDue = Duration.between(now, message.remainderDueAt);
                if (message.packages.isEmpty()) {
                    source.hide(message.received.receiptHandle(), untilDue);
                    deferredWhole.add(message);
                    continue;
                }
                try {
                    source.send(QueueCodec.encode(new QueueMessage.Events(message.remainder, message.enqueuedAt)),
                            untilDue);
                    message.remainderSettled = true;
                } catch (RuntimeException e) {
                    LOG.warnf("could not re-enqueue waiting events (%s); their message returns later",
                            e.getClass().getSimpleName());
                }
            }
        }

        void deleteSettled(Set<Held> unresolved, Set<Held> deferredWhole) {
            Set<String> deletable = new LinkedHashSet<>();
            for (Held message : held) {
                if (!(decoded.get(message) instanceof QueueMessage.Events) || unresolved.contains(message)
                        || deferredWhole.contains(message)) {
                    continue;
                }
                if (!message.remainder.isEmpty() && !message.remainderSettled) {
                    continue;
                }
                if (message.packages.stream().allMatch(p -> p.settled)) {
                    deletable.add(message.received.receiptHandle());
                }
            }
            for (Package pkg : packages) {
                if (pkg.pendingMessage != null && pkg.settled) {
                    deletable.add(pkg.pendingMessage.received.receiptHandle());
                }
            }
            source.delete(deletable);
        }
    }

    private static String newWebhookId() {
        return "pkg_" + UUID.randomUUID().toString().replace("-", "");
    }

    private void count(String name, String outcome, int amount) {
        metrics.counter(name, "outcome", outcome).increment(amount);
    }
}
