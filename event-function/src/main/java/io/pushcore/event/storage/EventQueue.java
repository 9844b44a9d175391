package io.pushcore.event.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.pushcore.model.Event;

/** Where accepted events go: the event queue the aggregator drains. */
public interface EventQueue {

    /**
     * Puts all events on the queue without blocking the caller: an event is never reported as taken when it was not.
     *
     * @return completes once every event is on the queue, or exceptionally with {@link Unavailable} when the queue did
     *         not take them all after its retries
     */
    CompletableFuture<Void> enqueue(List<Event> events);

    /** The queue refused or did not answer; the events may be partly enqueued (the aggregator tolerates that). */
    final class Unavailable extends RuntimeException {

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
