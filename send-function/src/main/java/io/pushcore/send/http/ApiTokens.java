package io.pushcore.send.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.send.BoundedCache;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.quota.RateLimit;
import io.pushcore.send.storage.StoredToken;
import io.pushcore.send.storage.TokenStore;

/**
 * API tokens as data: {@code pct_<tokenId>_<secret>} keys (80 random bits of id, 256 of secret) issued through the
 * admin API, stored only as the SHA-256 of the key. A warm instance remembers what it looked up (found or not) for
 * {@code send.auth.token-cache-ttl} (30 s), so a revoked token stops working everywhere within that bound.
 */
@ApplicationScoped
public class ApiTokens {

    static final Pattern KEY = Pattern.compile("pct_([0-9a-f]{20})_[A-Za-z0-9_-]{43}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{20}");

    private record Cached(Optional<StoredToken> token, Instant until) {
    }

    public record Issued(StoredToken token, String key) {
    }

    private final TokenStore store;
    private final Clock clock;
    private final Duration cacheTtl;
    private final SecureRandom random = new SecureRandom();
    private final BoundedCache<String, Cached> cache;

    ApiTokens(TokenStore store, Clock clock, SendConfig config) {
        this.store = store;
        this.clock = clock;
        this.cacheTtl = config.auth().tokenCacheTtl();
        this.cache = new BoundedCache<>(10_000, evicted -> {
        });
    }

    public Issued issue(String tenant) {
        byte[] id = new byte[10];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        String tokenId = HexFormat.of().formatHex(id);
        String key = "pct_" + tokenId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        StoredToken token = new StoredToken(tokenId, tenant, HexFormat.of().formatHex(sha256(key)), clock.instant());
        store.put(token);
        return new Issued(token, key);
    }

    /** The token a presented key belongs to, if it is an issued, unrevoked token's key (compared in constant time). */
    public Optional<StoredToken> authenticate(String key) {
        Matcher matcher = KEY.matcher(key);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        byte[] hash = sha256(key);
        return lookup(matcher.group(1))
                .filter(token -> MessageDigest.isEqual(HexFormat.of().parseHex(token.keyHash()), hash));
    }

    public List<StoredToken> ofTenant(String tenant) {
        return store.ofTenant(tenant);
    }

    /**
     * Revokes by token id or by the whole key (CORE's {@code RevokeCommandToken.token}); a whole key must match the
     * stored hash. This instance forgets the token at once, others within the cache bound.
     *
     * @return the revoked token, empty when there is none
     */
    public Optional<StoredToken> revoke(String tokenOrId) {
        Optional<String> tokenId = idOf(tokenOrId);
        if (tokenId.isEmpty()) {
            return Optional.empty();
        }
        Optional<StoredToken> token = store.find(tokenId.get());
        if (token.isPresent()) {
            store.delete(tokenId.get());
        }
        cache.put(tokenId.get(), new Cached(Optional.empty(), clock.instant().plus(cacheTtl)));
        return token;
    }

    /** The token, read from the store (not the cache), by id or whole key; empty when there is none. */
    public Optional<StoredToken> find(String tokenOrId) {
        return idOf(tokenOrId).flatMap(store::find);
    }

    /**
     * Sets ({@code limit} non-null) or removes the token's limit for a use case. This instance applies it at once,
     * others within the cache bound ({@code send.auth.token-cache-ttl}).
     *
     * @return the changed token, empty when there is none
     */
    public Optional<StoredToken> limit(String tokenOrId, String useCase, RateLimit limit) {
        Optional<String> tokenId = idOf(tokenOrId);
        if (tokenId.isEmpty()) {
            return Optional.empty();
        }
        Optional<StoredToken> changed = store.update(tokenId.get(), token -> token.withLimit(useCase, limit));
        changed.ifPresent(token -> cache.put(token.tokenId(),
                new Cached(Optional.of(token), clock.instant().plus(cacheTtl))));
        return changed;
    }

    /** A token id as given, or the id of a whole key that matches its stored hash. */
    private Optional<String> idOf(String tokenOrId) {
        if (ID.matcher(tokenOrId).matches()) {
            return Optional.of(tokenOrId);
        }
        return authenticate(tokenOrId).map(StoredToken::tokenId);
    }

    private Optional<StoredToken> lookup(String tokenId) {
        Instant now = clock.instant();
        Cached cached = cache.get(tokenId);
        if (cached == null || !now.isBefore(cached.until())) {
            cached = new Cached(store.find(tokenId), now.plus(cacheTtl));
            cache.put(tokenId, cached);
        }
        return cached.token();
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
