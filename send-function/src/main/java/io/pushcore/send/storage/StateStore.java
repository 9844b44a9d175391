package io.pushcore.send.storage;

import java.util.Optional;
import java.util.UUID;

/** Durable state of send-function: one document per bucket and per context. */
public interface StateStore {

    void putBucket(StoredBucket bucket);

    Optional<StoredBucket> findBucket(UUID bucketId);

    void putContext(StoredContext context);

    Optional<StoredContext> findContext(UUID contextId);
}
