package io.pushcore.event.storage;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pushcore.event.config.EventConfig;
import io.pushcore.model.Event;
import io.pushcore.queue.QueueBatches;
import io.pushcore.queue.QueueCodec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@link EventQueue} on SQS ({@code event.queue.url}): events packed by {@link QueueBatches}, sent with
 * {@code SendMessageBatch}; entries SQS reports failed, and calls that fail, are retried up to
 * {@code event.queue.attempts} times in all, all within {@code event.queue.timeout}: each call's api-call timeout is
 * what is left of it (the client's own {@code quarkus.sqs.api-call-timeout} and {@code api-call-attempt-timeout}
 * bound calls without one), so a stalled SQS fails the waiting requests instead of holding them.
 *
 * <p>
 * One sender thread makes the calls, without any added wait: each round takes every event queued up while the last
 * call was out, and completes each caller's future only once its own events are on SQS. On Lambda (default: one
 * request per environment) this is one call per request; on Lambda Managed Instances, where one environment runs many
 * requests at once, it packs the events of concurrent requests into one SQS message, and no request thread waits.
 * Each caller's events are encoded on their own: a caller whose events cannot be encoded fails alone, never the
 * others of its round.
 */
@ApplicationScoped
public class SqsEventQueue implements EventQueue {

    private static final Logger LOG = Logger.getLogger(SqsEventQueue.class);
    private static final int MAX_EVENTS_PER_ROUND = 500;
    // Less than this left of event.queue.timeout: no call is started any more.
    private static final Duration MIN_CALL = Duration.ofMillis(50);

    private final SqsClient sqs;
    private final EventConfig config;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("sqs-event-sender").factory());

    SqsEventQueue(SqsClient sqs, EventConfig config) {
        this.sqs = sqs;
        this.config = config;
    }

    /** Events waiting for the sender, and what their caller waits on. */
    record Waiting(List<Event> events, CompletableFuture<Void> sent) {
    }

    /** A round's callers whose events were encoded, and those events in the callers' order. */
    record Packed(List<Waiting> callers, List<byte[]> events) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private boolean sending; // guarded by lock: a drain task is scheduled or running

    @Override
    public CompletableFuture<Void> enqueue(List<Event> events) {
        Waiting mine = new Waiting(events, new CompletableFuture<>());
        boolean start;
        lock.lock();
        try {
            waiting.add(mine);
            start = !sending;
            sending = true;
        } finally {
            lock.unlock();
        }
        if (start) {
            try {
                sender.execute(this::drain);
            } catch (RejectedExecutionException e) { // shut down: no round will ever take them
                failWaiting(new Unavailable("event queue is shut down", e));
            }
        }
        return mine.sent();
    }

    /** On the sender thread: rounds until nobody waits. */
    private void drain() {
        while (true) {
            List<Waiting> round = takeRound();
            if (round.isEmpty()) {
                return;
            }
            send(round);
        }
    }

    /** One round: its callers' events in as few SendMessageBatch calls as fit; each caller hears its own outcome. */
    void send(List<Waiting> round) {
        Packed packed = pack(round);
        try {
            long deadline = System.nanoTime() + config.queue().timeout().toNanos();
            for (List<String> batch : QueueBatches.ofEncoded(packed.events(), QueueBatches.DEFAULT_BUDGET_BYTES)) {
                send(batch, deadline);
            }
            packed.callers().forEach(w -> w.sent().complete(null));
        } catch (Throwable e) { // whatever went wrong, every caller of the round hears it and the sender goes on
            Unavailable failure = e instanceof Unavailable u ? u : new Unavailable("event queue unavailable", e);
            packed.callers().forEach(w -> w.sent().completeExceptionally(failure));
        }
    }

    /**
     * The round's events, encoded caller by caller; a caller with an event that cannot be encoded, or that would not
     * fit an SQS message alone, fails now (with that cause) and is left out of the round.
     */
    static Packed pack(List<Waiting> round) {
        List<Waiting> callers = new ArrayList<>(round.size());
        List<byte[]> events = new ArrayList<>();
        for (Waiting caller : round) {
            try {
                List<byte[]> encoded = new ArrayList<>(caller.events().size());
                for (Event event : caller.events()) {
                    byte[] bytes = QueueCodec.encodeEvent(event);
                    if (!QueueBatches.fitsAlone(bytes, QueueBatches.DEFAULT_BUDGET_BYTES)) {
                        throw new IllegalArgumentException("an event is larger than an SQS message");
                    }
                    encoded.add(bytes);
                }
                events.addAll(encoded);
                callers.add(caller);
            } catch (RuntimeException e) {
                LOG.errorf(e, "events of one request could not be encoded; the rest of the round goes on");
                caller.sent().completeExceptionally(e);
            }
        }
        return new Packed(callers, events);
    }

    /** The next round's callers; none (and no sender running any more) when nobody waits. */
    private List<Waiting> takeRound() {
        lock.lock();
        try {
            List<Waiting> round = new ArrayList<>();
            int events = 0;
            while (!waiting.isEmpty() && (round.isEmpty() || events + waiting.peek().events().size()
                    <= MAX_EVENTS_PER_ROUND)) {
                Waiting next = waiting.poll();
                round.add(next);
                events += next.events().size();
            }
            if (round.isEmpty()) {
                sending = false;
            }
            return round;
        } finally {
            lock.unlock();
        }
    }

    /** Fails every waiting caller and lets the next enqueue start a sender again. */
    private void failWaiting(Unavailable failure) {
        List<Waiting> stranded;
        lock.lock();
        try {
            stranded = new ArrayList<>(waiting);
            waiting.clear();
            sending = false;
        } finally {
            lock.unlock();
        }
        stranded.forEach(w -> w.sent().completeExceptionally(failure));
    }

    @PreDestroy
    void stop() {
        sender.shutdown();
    }

    private void send(List<String> bodies, long deadline) {
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i))
                    .build());
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= config.queue().attempts(); attempt++) {
            if (attempt > 1) {
                pause(deadline);
            }
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.compareTo(MIN_CALL) < 0) {
                last = last != null ? last : new IllegalStateException("event.queue.timeout ran out");
                break;
            }
            try {
                List<SendMessageBatchRequestEntry> request = pending;
                SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(config.queue().url())
                        .entries(request).overrideConfiguration(o -> o.apiCallTimeout(left)));
                if (!response.hasFailed() || response.failed().isEmpty()) {
                    return;
                }
                var failedIds = response.failed().stream().map(f -> f.id()).toList();
                LOG.warnf("SQS refused %d of %d entries (%s)", failedIds.size(), request.size(),
                        response.failed().get(0).code());
                pending = request.stream().filter(e -> failedIds.contains(e.id())).toList();
                last = new IllegalStateException("SQS refused entries: " + response.failed().get(0).code());
            } catch (SdkException e) {
                LOG.warnf("SQS send failed (attempt %d): %s", attempt, e.getClass().getSimpleName());
                last = e;
            }
        }
        throw new Unavailable("event queue unavailable", last);
    }

    private void pause(long deadline) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(config.queue().retryBackoff().toNanos(),
                    Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while retrying the event queue", e);
        }
    }
}
