package io.pushcore.send.storage;

import java.time.Instant;
import java.util.UUID;

import io.pushcore.model.Content;

/**
 * A context as stored at {@code contexts/<bucketId>/<contextId>.json}; {@code kind} is {@code data}, {@code silent} or
 * {@code raw} (its content then holds the raw objects as sent). {@code ttlSeconds} is each push's time to live;
 * contexts stored before it was kept have none.
 */
public record StoredContext(UUID contextId, UUID bucketId, String tenant, String kind, Content content,
        Instant expiresAt, Long ttlSeconds) {
}
