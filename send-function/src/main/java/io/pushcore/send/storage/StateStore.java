package io.pushcore.send.storage;

import java.util.Optional;
import java.util.UUID;

import io.pushcore.route.BucketRoute;
import io.pushcore.route.ContextRoute;

/**
 * Durable state of send-function: one document per bucket and per context, and the routing records the aggregator
 * reads ({@code io.pushcore.route}).
 */
public interface StateStore {

    void putBucket(StoredBucket bucket);

    Optional<StoredBucket> findBucket(UUID bucketId);

    void putContext(StoredContext context);

    Optional<StoredContext> findContext(UUID bucketId, UUID contextId);

    void putRoute(BucketRoute route);

    void putRoute(ContextRoute route);
}
