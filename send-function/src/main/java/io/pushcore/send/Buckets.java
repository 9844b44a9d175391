package io.pushcore.send;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pushcore.crypto.RetiredKeyException;
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

    private static final Logger LOG = Logger.getLogger(Buckets.class);

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

    /**
     * The tenant's bucket; another tenant's bucket is reported exactly like a missing one. A bucket past its end, or
     * whose credentials were sealed under a credential key that has since been retired from the ring (it cannot be
     * opened any more), answers 410: the tenant creates a new bucket either way.
     */
    public Bucket find(String tenant, String bucketIdText) {
        UUID bucketId = parseId(bucketIdText);
        Bucket bucket = bucketId == null ? null : cache.get(bucketId);
        if (bucket != null) {
            check(tenant, bucketIdText, bucketId, bucket.tenant(), bucket.expiresAt());
            return bucket;
        }
        StoredBucket stored = bucketId == null ? null : store.findBucket(bucketId).orElse(null);
        check(tenant, bucketIdText, bucketId, stored == null ? null : stored.tenant(),
                stored == null ? null : stored.expiresAt());
        try {
            bucket = open(stored);
        } catch (RetiredKeyException e) {
            LOG.warnf("bucket %s was sealed under credential key %d, which is no longer in the ring", bucketId,
                    e.keyId());
            throw new ApiProblem.Expired("bucket can no longer be used", List.of("bucketId: bucket " + bucketId
                    + " was sealed under a key this service has retired; create a new bucket"));
        }
        cache.put(bucketId, bucket);
        return bucket;
    }

    private void check(String tenant, String bucketIdText, UUID bucketId, String owner, Instant expiresAt) {
        if (owner == null || !owner.equals(tenant)) {
            throw new ApiProblem.NotFound("bucket not found", List.of("bucketId: no bucket " + bucketIdText));
        }
        if (!clock.instant().isBefore(expiresAt)) {
            throw new ApiProblem.Expired("bucket expired", List.of("bucketId: bucket " + bucketId
                    + " expired at " + expiresAt + " (buckets live " + config.bucket().lifetime().toHours()
                    + " h); create a new bucket"));
        }
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
