package io.pushcore.provider;

import java.time.Duration;
import java.util.Objects;

/** The outcome of one attempt to hand a push to its provider. */
public sealed interface Delivery {

    /** The provider took the push; {@code providerId} is its id for it when it gives one (may be null). */
    record Accepted(String providerId) implements Delivery {
    }

    /** The provider refused the push for good; retrying cannot help. */
    record Rejected(ErrorCode code, String reason) implements Delivery {

        public Rejected {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The attempt failed for a reason that may pass (5xx, 429, timeout, network). {@code retryAfter} is the
     * provider's own hint (Retry-After), or null.
     */
    record Deferred(String reason, Duration retryAfter) implements Delivery {

        public Deferred {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
