package io.pushcore.send.storage;

import java.time.Instant;

/** An API token as stored: never the key, only its SHA-256 ({@code keyHash}, hex). */
public record StoredToken(String tokenId, String tenant, String keyHash, Instant createdAt) {
}
