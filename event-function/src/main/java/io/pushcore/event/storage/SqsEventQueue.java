package io.pushcore.event.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

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
 * Concurrent callers are batched without any added wait: one caller at a time sends, taking along the events of
 * everyone who queued up meanwhile, and each caller returns only once its own events are on SQS. On Lambda (default:
 * one request per environment) this is one call per request; on Lambda Managed Instances, where one environment runs
 * many requests at once, it packs the events of concurrent requests into one SQS message.
 */
@ApplicationScoped
public class SqsEventQueue implements EventQueue {

    private static final Logger LOG = Logger.getLogger(SqsEventQueue.class);

    private final SqsClient sqs;
    private final EventConfig config;

    SqsEventQueue(SqsClient sqs, EventConfig config) {
        this.sqs = sqs;
        this.config = config;
    }

    /**
     * Events waiting for a sender: {@code outcome} completes with null (sent) or the failure; {@code lead} tells a
     * waiting caller that it is the sender now.
     */
    private record Waiting(List<Event> events, CompletableFuture<RuntimeException> outcome,
            CompletableFuture<Void> lead) {
    }

    private static final int MAX_EVENTS_PER_ROUND = 500;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private boolean sending;

    @Override
    public void enqueue(List<Event> events) {
        Waiting mine = new Waiting(events, new CompletableFuture<>(), new CompletableFuture<>());
        boolean lead;
        lock.lock();
        try {
            waiting.add(mine);
            lead = !sending;
            sending = true;
        } finally {
            lock.unlock();
        }
        if (!lead) {
            CompletableFuture.anyOf(mine.outcome(), mine.lead()).join();
            if (mine.outcome().isDone()) {
                rethrow(mine);
                return;
            }
        }
        try {
            while (!mine.outcome().isDone()) {
                List<Waiting> round = takeRound();
                try {
                    for (List<String> batch : QueueBatches.of(round.stream().flatMap(w -> w.events().stream())
                            .toList())) {
                        send(batch);
                    }
                    round.forEach(w -> w.outcome().complete(null));
                } catch (RuntimeException e) {
                    round.forEach(w -> w.outcome().complete(e));
                }
            }
        } finally {
            handOver();
        }
        rethrow(mine);
    }

    private static void rethrow(Waiting mine) {
        RuntimeException failure = mine.outcome().join();
        if (failure instanceof Unavailable unavailable) {
            throw unavailable;
        }
        if (failure != null) {
            throw new Unavailable("event queue unavailable", failure);
        }
    }

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
            return round;
        } finally {
            lock.unlock();
        }
    }

    /** The next waiting caller becomes the sender, or nobody sends when none waits. */
    private void handOver() {
        lock.lock();
        try {
            Waiting next = waiting.peek();
            if (next == null) {
                sending = false;
            } else {
                next.lead().complete(null);
            }
        } finally {
            lock.unlock();
        }
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
