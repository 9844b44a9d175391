package io.pushcore.send;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.net.ForbiddenDestinationException;
import io.pushcore.net.NetworkPolicy;
import io.pushcore.route.BucketRoute;
import io.pushcore.route.Callback;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.credential.Credential;
import io.pushcore.send.credential.CredentialParser;
import io.pushcore.send.storage.BucketSealer;
import io.pushcore.send.storage.StateStore;
import io.pushcore.send.storage.StoredBucket;

/**
 * Creates buckets (sealed at rest, with the route the aggregator reads) and finds them for their tenant, their
 * credentials parsed once and cached while the function is warm.
 */
@ApplicationScoped
public class Buckets {

    private final StateStore store;
    private final BucketSealer sealer;
    private final CredentialParser parser;
    private final NetworkPolicy networkPolicy;
    private final Clock clock;
    private final SendConfig config;
    private final BoundedCache<UUID, Bucket> cache;

    Buckets(StateStore store, BucketSealer sealer, CredentialParser parser, NetworkPolicy networkPolicy, Clock clock,
            SendConfig config) {
        this.store = store;
        this.sealer = sealer;
        this.parser = parser;
        this.networkPolicy = networkPolicy;
        this.clock = clock;
        this.config = config;
        this.cache = new BoundedCache<>(config.cache().maxBuckets(), evicted -> {
        });
    }

    /** What the network policy says about a webhook, as {@code field: reason}. */
    public List<String> checkCallback(Callback callback) {
        if (callback instanceof Callback.Http http) {
            try {
                networkPolicy.check(http.url());
            } catch (ForbiddenDestinationException e) {
                return List.of("callbackConfig.payload.url: " + e.getMessage());
            }
        }
        return List.of();
    }

    /**
     * Stores a bucket of {@code credentials} (parsed by {@link CredentialParser}, in request order) and a callback
     * that passed {@link #checkCallback}.
     */
    public Bucket create(String tenant, List<Credential> credentials, Callback callback) {
        Instant now = clock.instant();
        Bucket bucket = new Bucket(UUID.randomUUID(), tenant, now, now.plus(config.bucket().lifetime()), credentials);
        StoredBucket sealed = sealer.seal(bucket, callback);
        store.putBucket(sealed);
        // The aggregator opens this very sealed callback (same key, same associated data) to reach the webhook. Kept
        // from now, as the state bucket's S3 lifecycle counts from the object's creation (see io.pushcore.route).
        store.putRoute(new BucketRoute(bucket.id(), sealed.sealedCallback(), now.plus(config.events().retention()),
                null));
        cache.put(bucket.id(), bucket);
        return bucket;
    }

    /** The tenant's bucket; another tenant's bucket is reported exactly like a missing one. */
    public Bucket find(String tenant, String bucketIdText) {
        UUID bucketId = parseId(bucketIdText);
        Bucket bucket = bucketId == null ? null : cache.get(bucketId);
        if (bucket == null && bucketId != null) {
            bucket = store.findBucket(bucketId).map(this::open).orElse(null);
            if (bucket != null) {
                cache.put(bucketId, bucket);
            }
        }
        if (bucket == null || !bucket.tenant().equals(tenant)) {
            throw new ApiProblem.NotFound("bucket not found", List.of("bucketId: no bucket " + bucketIdText));
        }
        if (!clock.instant().isBefore(bucket.expiresAt())) {
            throw new ApiProblem.Expired("bucket expired", List.of("bucketId: bucket " + bucketId + " expired at "
                    + bucket.expiresAt() + " (buckets live " + config.bucket().lifetime().toHours()
                    + " h); create a new bucket"));
        }
        return bucket;
    }

    static UUID parseId(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Bucket open(StoredBucket stored) {
        List<Credential> credentials = stored.credentials().stream()
                .map(c -> parser.open(c.id(), c.type(), sealer.open(stored, c)))
                .toList();
        return new Bucket(stored.bucketId(), stored.tenant(), stored.createdAt(), stored.expiresAt(), credentials);
    }
}
