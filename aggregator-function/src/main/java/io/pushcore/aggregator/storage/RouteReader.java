package io.pushcore.aggregator.storage;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.pushcore.route.Callback;

/** Resolves context → bucket → callback from the routing records (SPEC §2 retention), and disables webhooks. */
public interface RouteReader {

    /** A bucket's callback as the aggregator uses it; {@code disabled} after the webhook answered 410. */
    record Target(UUID bucketId, Callback callback, boolean disabled) {
    }

    /**
     * The bucket of a context; empty when no record exists or it is past its retention.
     *
     * @throws Unavailable when the store could not be read (try again later)
     */
    Optional<UUID> bucketOf(UUID contextId);

    /**
     * The bucket's target; empty when no record exists or it is past its retention.
     *
     * @throws Unavailable when the store could not be read or the record not opened
     */
    Optional<Target> target(UUID bucketId);

    /** Marks the bucket's webhook disabled from {@code at} on, for this and every later run. */
    void disable(UUID bucketId, Instant at);

    /** The route store could not answer now. */
    final class Unavailable extends RuntimeException {

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
