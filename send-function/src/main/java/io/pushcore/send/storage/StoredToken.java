package io.pushcore.send.storage;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import io.pushcore.send.quota.RateLimit;

/**
 * An API token as stored: never the key, only its SHA-256 ({@code keyHash}, hex); {@code limits} are its quotas by
 * use case wire name (absent in records written before quotas existed).
 */
public record StoredToken(String tokenId, String tenant, String keyHash, Instant createdAt,
        Map<String, RateLimit> limits) {

    public StoredToken {
        limits = limits == null ? Map.of() : Map.copyOf(limits);
    }

    public StoredToken(String tokenId, String tenant, String keyHash, Instant createdAt) {
        this(tokenId, tenant, keyHash, createdAt, Map.of());
    }

    /** This token with {@code limit} for {@code useCase}, or without a limit for it when {@code limit} is null. */
    public StoredToken withLimit(String useCase, RateLimit limit) {
        Map<String, RateLimit> changed = new TreeMap<>(limits);
        if (limit == null) {
            changed.remove(useCase);
        } else {
            changed.put(useCase, limit);
        }
        return new StoredToken(tokenId, tenant, keyHash, createdAt, changed);
    }
}
