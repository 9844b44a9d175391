package io.pushcore.send.http;

import java.time.Instant;

import jakarta.validation.constraints.Positive;

import io.pushcore.model.SilentContent;

/** A silent context (CORE's {@code CreateBucketSilentContextDto}); also the {@code metadata} of send/silent. */
public record SilentContextRequest(String externalData, @Positive Long ttl, Instant expiresAt) {

    SilentContent toContent() {
        return new SilentContent(externalData);
    }
}
