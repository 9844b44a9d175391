package io.pushcore.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One message for one receiver: the ids the client SDKs report back, and the context's content and expiry.
 * Providers turn it into their own payload.
 */
public record Push(UUID contextId, UUID messageId, String foreignId, Content content, Instant expiresAt) {

    public Push {
        Objects.requireNonNull(contextId, "contextId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
