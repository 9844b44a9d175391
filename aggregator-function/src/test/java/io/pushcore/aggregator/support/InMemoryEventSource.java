package io.pushcore.aggregator.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.pushcore.aggregator.storage.DeadLetterReason;
import io.pushcore.aggregator.storage.EventSource;

/**
 * {@link EventSource} in memory: messages offered to it are received once each (with fresh receipt handles), and
 * every delete, hide, send and dead-letter is recorded in order. Thread-safe.
 */
public final class InMemoryEventSource implements EventSource {

    public record Sent(String body, Duration delay) {
    }

    public record DeadLetter(String body, DeadLetterReason reason, String detail) {
    }

    private final Deque<Received> visible = new ArrayDeque<>();
    private final List<String> deleted = new ArrayList<>();
    private final List<String> hidden = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private final List<DeadLetter> deadLettered = new ArrayList<>();
    private final AtomicLong receipts = new AtomicLong();
    private volatile boolean refusing;

    /** Makes a message visible; returns the receipt handle it will be received with. */
    public synchronized String offer(String body, Instant sentAt) {
        Received received = new Received("r" + receipts.incrementAndGet(), body, sentAt);
        visible.add(received);
        return received.receiptHandle();
    }

    @Override
    public synchronized List<Received> receive() {
        List<Received> batch = new ArrayList<>();
        while (batch.size() < 10 && !visible.isEmpty()) {
            batch.add(visible.poll());
        }
        return batch;
    }

    @Override
    public synchronized void delete(Collection<String> receiptHandles) {
        deleted.addAll(receiptHandles);
    }

    @Override
    public synchronized void hide(String receiptHandle, Duration delay) {
        hidden.add(receiptHandle);
    }

    /** From now on, {@link #send} and {@link #deadLetter} throw, as a queue that does not take a write. */
    public void refuseWrites(boolean refuse) {
        refusing = refuse;
    }

    @Override
    public synchronized void send(String body, Duration delay) {
        refuseIfAsked();
        sent.add(new Sent(body, delay));
    }

    @Override
    public synchronized void deadLetter(String body, DeadLetterReason reason, String detail) {
        refuseIfAsked();
        deadLettered.add(new DeadLetter(body, reason, detail));
    }

    public synchronized List<String> deleted() {
        return List.copyOf(deleted);
    }

    public synchronized List<String> hidden() {
        return List.copyOf(hidden);
    }

    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    public synchronized List<DeadLetter> deadLettered() {
        return List.copyOf(deadLettered);
    }

    private void refuseIfAsked() {
        if (refusing) {
            throw new IllegalStateException("the queue refuses writes (test)");
        }
    }
}
