package io.pushcore.aggregator.storage;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.pushcore.route.Callback;

/** Resolves context → bucket → callback from the routing records (README "Retention"), and disables webhooks. */
public interface RouteReader {

    /**
     * A bucket's callback as the aggregator uses it; {@code disabled} after the webhook answered 410. An http callback
     * is within {@code CallbackLimits}.
     */
    record Target(UUID bucketId, Callback callback, boolean disabled) {
    }

    /**
     * The bucket of a context; empty when no record exists or it is past its retention.
     *
     * @throws Unavailable when the store could not be read (try again later)
     * @throws Unusable when the record exists but is not a context route
     */
    Optional<UUID> bucketOf(UUID contextId);

    /**
     * The bucket's target; empty when no record exists or it is past its retention.
     *
     * @throws Unavailable when the store could not be read (try again later)
     * @throws Unusable when the record is corrupt, cannot be opened, or its callback breaks {@code CallbackLimits}
     */
    Optional<Target> target(UUID bucketId);

    /**
     * Marks the bucket's webhook disabled from {@code at} on, for this and every later run. Bucket ids are never
     * reused (send-function mints a random one per bucket), so a bucket created again is a new, enabled route.
     */
    void disable(UUID bucketId, Instant at);

    /** The route store could not answer now. */
    final class Unavailable extends RuntimeException {

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A route that exists but can never be used as it is: its events go to the dead-letter queue with
     * {@link #reason()} ({@link DeadLetterReason#CORRUPT_ROUTE} or {@link DeadLetterReason#MALFORMED_WEBHOOK}). The
     * message never contains a secret.
     */
    final class Unusable extends RuntimeException {

        private final DeadLetterReason reason;

        public Unusable(DeadLetterReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public DeadLetterReason reason() {
            return reason;
        }
    }
}
