package io.pushcore.aggregator.support;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.pushcore.aggregator.storage.RouteReader;
import io.pushcore.route.Callback;

/**
 * {@link RouteReader} in memory: routes put by the test, unusable or unavailable ones on demand, and a count of
 * reads (to show what is read once per run). Thread-safe.
 */
public final class InMemoryRouteReader implements RouteReader {

    private final Map<UUID, UUID> contexts = new ConcurrentHashMap<>();
    private final Map<UUID, Target> targets = new ConcurrentHashMap<>();
    private final Map<UUID, RuntimeException> failures = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    public UUID bucket(Callback callback) {
        UUID bucketId = UUID.randomUUID();
        targets.put(bucketId, new Target(bucketId, callback, false));
        return bucketId;
    }

    public UUID context(UUID bucketId) {
        UUID contextId = UUID.randomUUID();
        contexts.put(contextId, bucketId);
        return contextId;
    }

    /** Reads of this id throw {@code failure} ({@link RouteReader.Unavailable} or {@link RouteReader.Unusable}). */
    public void fail(UUID id, RuntimeException failure) {
        failures.put(id, failure);
    }

    public void heal(UUID id) {
        failures.remove(id);
    }

    public int reads() {
        return reads.get();
    }

    @Override
    public Optional<UUID> bucketOf(UUID contextId) {
        reads.incrementAndGet();
        throwIfFailing(contextId);
        return Optional.ofNullable(contexts.get(contextId));
    }

    @Override
    public Optional<Target> target(UUID bucketId) {
        reads.incrementAndGet();
        throwIfFailing(bucketId);
        return Optional.ofNullable(targets.get(bucketId));
    }

    @Override
    public void disable(UUID bucketId, Instant at) {
        targets.computeIfPresent(bucketId, (id, target) -> new Target(id, target.callback(), true));
    }

    private void throwIfFailing(UUID id) {
        RuntimeException failure = failures.get(id);
        if (failure != null) {
            throw failure;
        }
    }
}
