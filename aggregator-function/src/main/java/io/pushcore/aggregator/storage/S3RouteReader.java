package io.pushcore.aggregator.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.crypto.CredentialCipher;
import io.pushcore.crypto.CredentialCipherException;
import io.pushcore.crypto.RetiredKeyException;
import io.pushcore.route.BucketRoute;
import io.pushcore.route.Callback;
import io.pushcore.route.CallbackLimits;
import io.pushcore.route.ContextRoute;
import io.pushcore.route.RouteCodec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@link RouteReader} on the S3 state bucket ({@code routes/}, format in {@code io.pushcore.route}), with an
 * in-memory cache kept while the function is warm, bounded by bytes ({@code aggregator.routes.cache-bytes}) and time
 * ({@code cache-ttl}). A route object larger than {@link #MAX_ROUTE_BYTES} is not read into memory (corrupt); a
 * callback that breaks {@link CallbackLimits} is a malformed webhook. Records past their retention are treated as
 * absent and deleted.
 */
@ApplicationScoped
public class S3RouteReader implements RouteReader {

    /** Largest route object read: a callback within {@link CallbackLimits}, sealed, is well below it. */
    static final int MAX_ROUTE_BYTES = 64 * 1024;
    /** Weight in the cache of an entry besides its strings (keys, records, map entry). */
    private static final long ENTRY_OVERHEAD_BYTES = 256;

    private static final Logger LOG = Logger.getLogger(S3RouteReader.class);

    /** A cached answer: a value, none, or the route's unusable verdict. */
    private record Lookup<T>(Optional<T> value, Unusable unusable) {

        Optional<T> get() {
            if (unusable != null) {
                throw unusable;
            }
            return value;
        }
    }

    private final S3Client s3;
    private final CredentialCipher cipher;
    private final Clock clock;
    private final String bucket;
    private final ByteBoundedCache<UUID, Lookup<UUID>> contexts;
    private final ByteBoundedCache<UUID, Lookup<Target>> targets;

    public S3RouteReader(S3Client s3, CredentialCipher cipher, Clock clock, AggregatorConfig config) {
        this.s3 = s3;
        this.cipher = cipher;
        this.clock = clock;
        this.bucket = config.state().bucket();
        // one fifth for context routes (small, fixed size), the rest for bucket routes
        long bytes = config.routes().cacheBytes();
        this.contexts = new ByteBoundedCache<>(bytes / 5, config.routes().cacheTtl());
        this.targets = new ByteBoundedCache<>(bytes - bytes / 5, config.routes().cacheTtl());
    }

    @Override
    public Optional<UUID> bucketOf(UUID contextId) {
        return cached(contexts, contextId, id -> read(RouteCodec.contextKey(id)).flatMap(bytes -> {
            ContextRoute route;
            try {
                route = RouteCodec.readContext(bytes);
            } catch (IllegalArgumentException e) {
                throw new Unusable(DeadLetterReason.CORRUPT_ROUTE, "context route " + id + ": " + e.getMessage());
            }
            if (!route.isRetained(clock.instant())) {
                expire(RouteCodec.contextKey(id));
                return Optional.empty();
            }
            return Optional.of(route.bucketId());
        }), value -> ENTRY_OVERHEAD_BYTES);
    }

    @Override
    public Optional<Target> target(UUID bucketId) {
        return cached(targets, bucketId, id -> read(RouteCodec.bucketKey(id)).flatMap(bytes -> {
            BucketRoute route;
            Callback callback;
            try {
                route = RouteCodec.readBucket(bytes);
                if (!route.isRetained(clock.instant())) {
                    expire(RouteCodec.bucketKey(id));
                    return Optional.empty();
                }
                callback = RouteCodec.openCallback(cipher, id, route.sealedCallback());
            } catch (RetiredKeyException e) {
                // sealed before its webhook key was retired from the ring: no key here opens it any more
                throw new Unusable(DeadLetterReason.CORRUPT_ROUTE, "bucket route " + id + " could not be opened: "
                        + e.getMessage());
            } catch (CredentialCipherException | IllegalArgumentException e) {
                throw new Unusable(DeadLetterReason.CORRUPT_ROUTE, "bucket route " + id + " could not be read or "
                        + "opened (" + e.getClass().getSimpleName() + ")");
            }
            List<String> violations = CallbackLimits.violations(callback);
            if (!violations.isEmpty()) {
                // the reasons name fields and bounds only, never a header value or the secret
                throw new Unusable(DeadLetterReason.MALFORMED_WEBHOOK, "bucket " + id + ": " + violations.get(0));
            }
            return Optional.of(new Target(id, callback, route.disabledAt() != null));
        }), S3RouteReader::weight);
    }

    @Override
    public void disable(UUID bucketId, Instant at) {
        String key = RouteCodec.bucketKey(bucketId);
        Optional<byte[]> current = read(key);
        if (current.isEmpty()) {
            return;
        }
        try {
            BucketRoute disabled = RouteCodec.readBucket(current.get()).disabled(at);
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromBytes(RouteCodec.write(disabled)));
        } catch (SdkException | IllegalArgumentException e) {
            LOG.warnf("could not record the disabled webhook of bucket %s (%s)", bucketId,
                    e.getClass().getSimpleName());
        }
        Lookup<Target> cached = targets.get(bucketId, clock.instant());
        if (cached != null && cached.unusable() == null) {
            targets.replace(bucketId, new Lookup<>(cached.value()
                    .map(t -> new Target(t.bucketId(), t.callback(), true)), null));
        }
    }

    /** Bytes a target holds in memory: its strings (two bytes a char at worst) and the objects around them. */
    private static long weight(Lookup<Target> lookup) {
        if (lookup.value().isEmpty() || !(lookup.value().get().callback() instanceof Callback.Http http)) {
            return ENTRY_OVERHEAD_BYTES;
        }
        long chars = http.url().toString().length() + (http.secret() == null ? 0 : http.secret().length());
        for (var header : http.headers().entrySet()) {
            chars += header.getKey().length() + header.getValue().length() + 32;
        }
        // the URI keeps its parsed parts beside the whole string
        return ENTRY_OVERHEAD_BYTES + 4 * chars;
    }

    private <T> Optional<T> cached(ByteBoundedCache<UUID, Lookup<T>> cache, UUID id,
            Function<UUID, Optional<T>> load, ToLongFunction<Lookup<T>> weight) {
        Instant now = clock.instant();
        Lookup<T> hit = cache.get(id, now);
        if (hit != null) {
            return hit.get();
        }
        Lookup<T> loaded;
        try {
            loaded = new Lookup<>(load.apply(id), null);
        } catch (Unusable e) {
            loaded = new Lookup<>(Optional.empty(), e);
        }
        cache.put(id, loaded, weight.applyAsLong(loaded), now);
        return loaded.get();
    }

    private Optional<byte[]> read(String key) {
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] bytes = in.readNBytes(MAX_ROUTE_BYTES + 1);
            if (bytes.length > MAX_ROUTE_BYTES) {
                throw new Unusable(DeadLetterReason.CORRUPT_ROUTE, key + " is larger than " + MAX_ROUTE_BYTES
                        + " bytes");
            }
            return Optional.of(bytes);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException | IOException e) {
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
