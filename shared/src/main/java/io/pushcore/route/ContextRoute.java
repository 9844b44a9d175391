package io.pushcore.route;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Which bucket a context belongs to, kept until {@code retainUntil} so late client events can be routed. */
public record ContextRoute(UUID contextId, UUID bucketId, Instant retainUntil) {

    public ContextRoute {
        Objects.requireNonNull(contextId, "contextId");
        Objects.requireNonNull(bucketId, "bucketId");
        Objects.requireNonNull(retainUntil, "retainUntil");
    }

    public boolean isRetained(Instant now) {
        return now.isBefore(retainUntil);
    }
}
