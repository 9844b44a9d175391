package io.pushcore.send;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.pushcore.model.Content;

/**
 * A CORE context: what a message says, which bucket it belongs to, until when it may be sent ({@code expiresAt}:
 * its own, else its bucket's end) and each push's time to live from its send ({@code ttl}; null for contexts
 * stored before {@code ttl} was kept, whose pushes live until {@code expiresAt}).
 */
public record PushContext(UUID id, UUID bucketId, String tenant, Content content, Instant expiresAt, Duration ttl) {

    /** When a push sent at {@code sentAt} expires: after its {@code ttl}, never past the context's end. */
    public Instant pushExpiry(Instant sentAt) {
        if (ttl == null) {
            return expiresAt;
        }
        Instant byTtl = sentAt.plus(ttl);
        return byTtl.isBefore(expiresAt) ? byTtl : expiresAt;
    }
}
