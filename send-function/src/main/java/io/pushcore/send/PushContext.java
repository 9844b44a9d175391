package io.pushcore.send;

import java.time.Instant;
import java.util.UUID;

import io.pushcore.model.Content;

/** A CORE context: what a message says, which bucket it belongs to, and until when it may be sent. */
public record PushContext(UUID id, UUID bucketId, String tenant, Content content, Instant expiresAt) {
}
