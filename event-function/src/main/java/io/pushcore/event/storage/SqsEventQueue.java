package io.pushcore.event.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pushcore.event.config.EventConfig;
import io.pushcore.model.Event;
import io.pushcore.queue.QueueBatches;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@link EventQueue} on SQS ({@code event.queue.url}): events packed by {@link QueueBatches}, sent with
 * {@code SendMessageBatch}; entries SQS reports failed, and calls that fail, are retried up to
 * {@code event.queue.attempts} times in all.
 *
 * <p>
 * One sender thread makes the calls, without any added wait: each round takes every event queued up while the last
 * call was out, and completes each caller's future only once its own events are on SQS. On Lambda (default: one
 * request per environment) this is one call per request; on Lambda Managed Instances, where one environment runs many
 * requests at once, it packs the events of concurrent requests into one SQS message, and no request thread waits.
 */
@ApplicationScoped
public class SqsEventQueue implements EventQueue {

    private static final Logger LOG = Logger.getLogger(SqsEventQueue.class);
    private static final int MAX_EVENTS_PER_ROUND = 500;

    private final SqsClient sqs;
    private final EventConfig config;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("sqs-event-sender").factory());

    SqsEventQueue(SqsClient sqs, EventConfig config) {
        this.sqs = sqs;
        this.config = config;
    }

    /** Events waiting for the sender, and what their caller waits on. */
    private record Waiting(List<Event> events, CompletableFuture<Void> sent) {
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
            sender.execute(this::drain);
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
            try {
                for (List<String> batch : QueueBatches.of(round.stream().flatMap(w -> w.events().stream())
                        .toList())) {
                    send(batch);
                }
                round.forEach(w -> w.sent().complete(null));
            } catch (Throwable e) { // whatever went wrong, every caller of the round hears it and the sender goes on
                Unavailable failure = e instanceof Unavailable u ? u : new Unavailable("event queue unavailable", e);
                round.forEach(w -> w.sent().completeExceptionally(failure));
            }
        }
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

    @PreDestroy
    void stop() {
        sender.shutdown();
    }

    private void send(List<String> bodies) {
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i))
                    .build());
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= config.queue().attempts(); attempt++) {
            if (attempt > 1) {
                pause();
            }
            try {
                List<SendMessageBatchRequestEntry> request = pending;
                SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(config.queue().url())
                        .entries(request));
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

    private void pause() {
        try {
            Thread.sleep(config.queue().retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while retrying the event queue", e);
        }
    }
}
