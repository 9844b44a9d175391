package io.pushcore.aggregator.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.crypto.CredentialCipher;
import io.pushcore.crypto.CredentialCipherException;
import io.pushcore.route.BucketRoute;
import io.pushcore.route.ContextRoute;
import io.pushcore.route.RouteCodec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@link RouteReader} on the S3 state bucket ({@code routes/}, format in {@code io.pushcore.route}), with a
 * bounded in-memory cache ({@code aggregator.routes.cache-ttl}, {@code cache-size}) kept while the function is
 * warm. Records past their retention are treated as absent and deleted.
 */
@ApplicationScoped
public class S3RouteReader implements RouteReader {

    private static final Logger LOG = Logger.getLogger(S3RouteReader.class);

    private record Cached<T>(Optional<T> value, Instant loadedAt) {
    }

    private final S3Client s3;
    private final CredentialCipher cipher;
    private final Clock clock;
    private final String bucket;
    private final Duration ttl;
    private final int maxEntries;
    private final ConcurrentHashMap<UUID, Cached<UUID>> contexts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Cached<Target>> targets = new ConcurrentHashMap<>();

    S3RouteReader(S3Client s3, CredentialCipher cipher, Clock clock, AggregatorConfig config) {
        this.s3 = s3;
        this.cipher = cipher;
        this.clock = clock;
        this.bucket = config.state().bucket();
        this.ttl = config.routes().cacheTtl();
        this.maxEntries = config.routes().cacheSize();
    }

    @Override
    public Optional<UUID> bucketOf(UUID contextId) {
        return cached(contexts, contextId, id -> read(RouteCodec.contextKey(id)).flatMap(bytes -> {
            ContextRoute route = RouteCodec.readContext(bytes);
            if (!route.isRetained(clock.instant())) {
                expire(RouteCodec.contextKey(id));
                return Optional.empty();
            }
            return Optional.of(route.bucketId());
        }));
    }

    @Override
    public Optional<Target> target(UUID bucketId) {
        return cached(targets, bucketId, id -> read(RouteCodec.bucketKey(id)).flatMap(bytes -> {
            BucketRoute route = RouteCodec.readBucket(bytes);
            if (!route.isRetained(clock.instant())) {
                expire(RouteCodec.bucketKey(id));
                return Optional.empty();
            }
            try {
                return Optional.of(new Target(id, RouteCodec.openCallback(cipher, id, route.sealedCallback()),
                        route.disabledAt() != null));
            } catch (CredentialCipherException | IllegalArgumentException e) {
                throw new Unavailable("bucket route " + id + " could not be opened", e);
            }
        }));
    }

    @Override
    public void disable(UUID bucketId, Instant at) {
        String key = RouteCodec.bucketKey(bucketId);
        Optional<byte[]> current = read(key);
        if (current.isEmpty()) {
            return;
        }
        BucketRoute disabled = RouteCodec.readBucket(current.get()).disabled(at);
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromBytes(RouteCodec.write(disabled)));
        } catch (SdkException e) {
            LOG.warnf("could not record the disabled webhook of bucket %s (%s)", bucketId,
                    e.getClass().getSimpleName());
        }
        targets.computeIfPresent(bucketId, (id, cached) -> new Cached<>(cached.value()
                .map(t -> new Target(t.bucketId(), t.callback(), true)), cached.loadedAt()));
    }

    private <T> Optional<T> cached(ConcurrentHashMap<UUID, Cached<T>> cache, UUID id,
            Function<UUID, Optional<T>> load) {
        Instant now = clock.instant();
        Cached<T> hit = cache.get(id);
        if (hit != null && hit.loadedAt().plus(ttl).isAfter(now)) {
            return hit.value();
        }
        Optional<T> value = load.apply(id);
        if (cache.size() >= maxEntries) {
            cache.clear();
        }
        cache.put(id, new Cached<>(value, now));
        return value;
    }

    private Optional<byte[]> read(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new Unavailable("route store unavailable", e);
        }
    }

    private void expire(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            LOG.debugf("could not delete expired route %s", key);
        }
    }
}
