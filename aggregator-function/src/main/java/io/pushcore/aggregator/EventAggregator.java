package io.pushcore.aggregator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.aggregator.storage.DeadLetterReason;
import io.pushcore.aggregator.storage.EventSource;
import io.pushcore.aggregator.storage.RouteReader;
import io.pushcore.aggregator.webhook.WebhookDeliverer;
import io.pushcore.model.Event;
import io.pushcore.queue.QueueCodec;
import io.pushcore.queue.QueueMessage;

/**
 * One aggregator run (README "How a message flows through the folders"): drain the event queue, route each event to its bucket's webhook (context → bucket →
 * callback, {@code io.pushcore.route}), group per bucket, and deliver a package when it holds
 * {@code aggregator.flush.max-events} events or its oldest event was enqueued {@code max-age} ago. Events not yet
 * due stay on the queue, hidden until they are. The run is a short orchestration of named parts, each testable
 * alone: {@link Drain} (receive), {@link Routing} (route), {@link Packer} (pack), {@link PackageDelivery} (deliver),
 * {@link DeadLetters}, and the {@link Ledger}, which decides which queue messages may be deleted.
 *
 * <p>
 * Delivery is at least once, and messages are deleted as they settle: a queue message is deleted as soon as every
 * package holding its events was accepted (2xx), durably put back on the queue or dead-lettered (the {@link Ledger}
 * decides), while the run goes on. Deletes run beside the deliveries, never in a delivery slot, and the run returns
 * only once they ended; so a stalled or failing tenant neither holds back nor duplicates another tenant's messages, and
 * a run cut short repeats only what had not settled yet. A failed package goes back as a pending package that keeps its
 * {@code webhook-id}, and is retried with exponential backoff and jitter (honouring Retry-After) until
 * {@code aggregator.retry.give-up-after} after its first attempt, then goes to the dead-letter queue (also when it is
 * found past that time without another attempt; Retry-After counts up to {@code max-backoff}). Callback {@code none}
 * drops its events after counting them; every other event that cannot be delivered goes to the dead-letter queue with
 * its {@link DeadLetterReason} (route missing or corrupt, malformed webhook, refused by policy, 410 gone, poison
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

    /**
     * Runs once within {@code budget} (wall-clock) and reports what it did: receive for at most half the budget, route
     * and pack, deliver; each message is deleted as soon as the {@link Ledger} allows, and the run returns once those
     * deletes ended.
     */
    public AggregationReport run(Duration budget) {
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        Instant now = clock.instant();
        RunCounters counters = new RunCounters(metrics);
        List<HeldMessage> held;
        // Queue calls that hold no delivery slot, each executor closed (waited for) before the run returns: deletes,
        // and the hiding and re-enqueueing of waiting events (which may complete a message, so may delete: their
        // executor closes first, while deletes are still taken).
        try (ExecutorService deletes = Executors.newVirtualThreadPerTaskExecutor();
                ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            Ledger ledger = new Ledger(receipts -> deletes.submit(() -> delete(receipts)));
            held = new Drain(source, config).drain(started + (deadline - started) / 2, now);
            Routing routing = new Routing(routes);
            DeadLetters deadLetters = new DeadLetters(source, counters, clock);
            List<WebhookPackage> due = new ArrayList<>();
            Map<UUID, List<Packer.Item>> groups = new LinkedHashMap<>();
            List<HeldMessage.Events> routed = new ArrayList<>();
            for (HeldMessage message : held) {
                ledger.hold(message.receiptHandle());
                switch (message) {
                    case HeldMessage.Malformed malformed -> settleAlone(ledger, malformed,
                            deadLetters.poison(malformed.received()));
                    case HeldMessage.Pending pending -> due(pending, now, ledger, deadLetters, background)
                            .ifPresent(due::add);
                    case HeldMessage.Events events -> {
                        if (route(events, routing, deadLetters, counters, groups, ledger)) {
                            routed.add(events);
                        }
                    }
                }
            }
            Packer.Packed packed = new Packer(config.flush()).pack(groups, now);
            packed.packages().forEach(ledger::add);
            counters.deferred(packed.waitingEvents());
            Set<String> waiting = new HashSet<>();
            for (Packer.Waiting wait : packed.waiting()) {
                waiting.add(wait.source().receiptHandle());
                background.submit(() -> waitOnQueue(wait, now, ledger));
            }
            for (HeldMessage.Events events : routed) {
                if (!waiting.contains(events.receiptHandle())) {
                    ledger.complete(events.receiptHandle());
                }
            }
            due.addAll(packed.packages());
            new PackageDelivery(source, routing, deliverer, deadLetters, ledger, counters, clock, config, deadline)
                    .deliverAll(due);
        }
        int events = held.stream().mapToInt(HeldMessage::eventCount).sum();
        return counters.report(held.size(), events, (System.nanoTime() - started) / 1_000_000,
                (deadline - started) / 1_000_000);
    }

    /** A message dead-lettered whole (poison) is deleted; kept when the dead-letter queue did not take it. */
    private static void settleAlone(Ledger ledger, HeldMessage message, boolean deadLettered) {
        if (deadLettered) {
            ledger.complete(message.receiptHandle());
        } else {
            ledger.keep(message.receiptHandle());
        }
    }

    /**
     * A pending package to attempt now; none when it is dead-lettered (found past its give-up time) or hidden until
     * its next attempt is due (never past the give-up time).
     */
    private Optional<WebhookPackage> due(HeldMessage.Pending message, Instant now, Ledger ledger,
            DeadLetters deadLetters, ExecutorService background) {
        QueueMessage.PendingPackage pending = message.pending();
        WebhookPackage pkg = WebhookPackage.pending(message);
        Instant giveUpAt = pending.firstAttemptAt().plus(config.retry().giveUpAfter());
        if (!now.isBefore(giveUpAt)) {
            ledger.add(pkg);
            ledger.complete(message.receiptHandle());
            if (deadLetters.pkg(pkg, DeadLetterReason.GAVE_UP, "gave up after " + pending.attempts() + " attempts")) {
                ledger.settled(pkg);
            } else {
                ledger.released(pkg);
            }
            return Optional.empty();
        }
        if (pending.notBefore().isAfter(now)) {
            Instant next = pending.notBefore().isAfter(giveUpAt) ? giveUpAt : pending.notBefore();
            ledger.keep(message.receiptHandle());
            background.submit(() -> source.hide(message.receiptHandle(), Duration.between(now, next)));
            return Optional.empty();
        }
        ledger.add(pkg);
        ledger.complete(message.receiptHandle());
        return Optional.of(pkg);
    }

    /**
     * Sorts a message's events into {@code groups} by bucket, dead-letters those without a usable webhook and counts
     * those dropped (callback {@code none}). False, and the message kept, when a route could not be read or the
     * dead-letter queue did not take them; a message whose routing fails unexpectedly is poison and dead-lettered
     * alone, and the run goes on.
     */
    private boolean route(HeldMessage.Events message, Routing routing, DeadLetters deadLetters,
            RunCounters counters, Map<UUID, List<Packer.Item>> groups, Ledger ledger) {
        Routing.Sorted sorted;
        try {
            sorted = routing.sort(message.events());
        } catch (RouteReader.Unavailable e) {
            LOG.warnf("routes unavailable (%s); the message is retried later", e.getMessage());
            ledger.keep(message.receiptHandle());
            return false;
        } catch (RuntimeException e) {
            LOG.errorf(e, "routing a queue message failed unexpectedly; it is dead-lettered");
            settleAlone(ledger, message, deadLetters.poison(message.received()));
            return false;
        }
        for (Map.Entry<Routing.Route.Dead, List<Event>> dead : sorted.dead().entrySet()) {
            if (!deadLetters.events(dead.getValue(), dead.getKey().reason(), dead.getKey().detail())) {
                ledger.keep(message.receiptHandle());
                return false;
            }
        }
        counters.droppedNone(sorted.dropped());
        sorted.byBucket().forEach((bucketId, events) -> {
            List<Packer.Item> group = groups.computeIfAbsent(bucketId, id -> new ArrayList<>());
            events.forEach(event -> group.add(new Packer.Item(event, message)));
        });
        return true;
    }

    /**
     * Waiting events: a message whose events all wait is hidden until the first is due, and comes back whole; the
     * waiting part of a message with packages is re-enqueued (keeping its first enqueue time), and the message is
     * complete once the queue took it.
     */
    private void waitOnQueue(Packer.Waiting wait, Instant now, Ledger ledger) {
        String receipt = wait.source().receiptHandle();
        Duration untilDue = Duration.between(now, wait.dueAt());
        if (wait.whole()) {
            ledger.keep(receipt);
            source.hide(receipt, untilDue);
            return;
        }
        try {
            source.send(QueueCodec.encode(new QueueMessage.Events(wait.events(), wait.source().enqueuedAt())),
                    untilDue);
        } catch (RuntimeException e) {
            LOG.warnf("could not re-enqueue waiting events (%s); their message returns later",
                    e.getClass().getSimpleName());
            ledger.keep(receipt);
            return;
        }
        ledger.complete(receipt);
    }

    private void delete(List<String> receipts) {
        try {
            source.delete(receipts);
        } catch (RuntimeException e) {
            LOG.warnf("deleting %d settled messages failed (%s); they will be delivered again", receipts.size(),
                    e.getClass().getSimpleName());
        }
    }
}
