package io.pushcore.send.storage;

import java.util.List;

import io.pushcore.model.Event;

/** Where send outcomes go: the event queue the aggregator drains. */
public interface EventQueue {

    /**
     * Puts all events on the queue, or throws: an event is never reported as taken when it was not.
     *
     * @throws Unavailable when the queue did not take every event after its retries
     */
    void enqueue(List<Event> events);

    /** The queue refused or did not answer; the events may be partly enqueued (the aggregator tolerates that). */
    final class Unavailable extends RuntimeException {

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
