package io.pushcore.aggregator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.aggregator.storage.EventSource;
import io.pushcore.aggregator.storage.EventSource.Received;

/**
 * Receive: polls the event queue with {@code aggregator.queue.receivers} parallel loops and decodes each message
 * once. A run holds at most {@code aggregator.run.max-events} events and {@code max-bytes} of message bodies (the
 * bound is checked before each receive, so it is passed by at most one batch per loop); the rest stays on the queue
 * for the next run.
 */
final class Drain {

    private final EventSource source;
    private final int receivers;
    private final int maxEvents;
    private final long maxBytes;

    Drain(EventSource source, AggregatorConfig config) {
        this.source = source;
        this.receivers = Math.max(1, config.queue().receivers());
        this.maxEvents = config.run().maxEvents();
        this.maxBytes = config.run().maxBytes();
    }

    /** Receives until the queue is empty, {@code until} ({@link System#nanoTime()}) passes, or a bound is reached. */
    List<HeldMessage> drain(long until, Instant now) {
        List<HeldMessage> held = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger events = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < receivers; i++) {
                pool.submit(() -> {
                    while (System.nanoTime() < until && events.get() < maxEvents && bytes.get() < maxBytes) {
                        List<Received> batch = source.receive();
                        if (batch.isEmpty()) {
                            return null;
                        }
                        for (Received received : batch) {
                            bytes.addAndGet(received.body().length());
                            HeldMessage message = HeldMessage.decode(received, now);
                            events.addAndGet(message.eventCount());
                            held.add(message);
                        }
                    }
                    return null;
                });
            }
        }
        return List.copyOf(held);
    }
}
