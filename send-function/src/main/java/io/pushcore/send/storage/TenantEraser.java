package io.pushcore.send.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pushcore.route.RouteCodec;
import io.pushcore.send.config.ImagesConfig;
import io.pushcore.send.config.SendConfig;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Erases what pushcore stores for one tenant: its buckets (with their sealed credentials and webhook), their
 * contexts, the routes of both, and the tenant's CDN images. Found through the tenant's index
 * ({@code tenants/<tenant key>/buckets/}) and key prefixes, never by scanning other tenants' data.
 *
 * <p>
 * Resumable: a bucket's index entry is deleted last, so a call cut short by its time budget leaves everything it did
 * not reach findable by the next call, and {@link Erased#complete()} says whether another call is needed. API tokens
 * are not touched (revoke them first to offboard a tenant: a warm instance may still hold a bucket in memory and
 * would serve it to a valid key until it expires).
 */
@ApplicationScoped
public class TenantEraser {

    private static final Logger LOG = Logger.getLogger(TenantEraser.class);

    private static final int PARALLEL_DELETES = 32;

    /** How many objects of each kind were deleted, and whether nothing of the tenant's is left. */
    public record Erased(String tenant, int buckets, int contexts, int images, boolean complete) {
    }

    private final S3Client s3;
    private final String stateBucket;
    private final String cdnBucket;
    private final Clock clock;

    TenantEraser(S3Client s3, SendConfig config, ImagesConfig images, Clock clock) {
        this.s3 = s3;
        this.stateBucket = config.state().bucket();
        this.cdnBucket = images.bucket();
        this.clock = clock;
    }

    /**
     * Erases until done or until {@code budget} has passed, whichever comes first. The budget is checked after every
     * page of up to 1000 keys, so a bucket with millions of contexts is erased over several calls, each one well
     * inside the function's timeout.
     */
    public Erased erase(String tenant, Duration budget) {
        Instant deadline = clock.instant().plus(budget);
        int buckets = 0;
        int contexts = 0;
        String bucketIndex = S3StateStore.tenantBucketPrefix(tenant);
        for (String marker : keys(stateBucket, bucketIndex)) {
            if (clock.instant().isAfter(deadline)) {
                return done(tenant, buckets, contexts, 0, false);
            }
            UUID bucketId;
            try {
                bucketId = UUID.fromString(marker.substring(bucketIndex.length()));
            } catch (IllegalArgumentException e) {
                delete(stateBucket, List.of(marker));
                continue;
            }
            // the bucket's contexts and their routes, a page at a time (each deletion shortens the listing)
            List<String> page;
            while (!(page = firstPage(stateBucket, S3StateStore.contextPrefix(bucketId))).isEmpty()) {
                List<String> doomed = new ArrayList<>(page.size() * 2);
                for (String key : page) {
                    doomed.add(key);
                    contextId(key).ifPresent(id -> doomed.add(RouteCodec.contextKey(id)));
                }
                delete(stateBucket, doomed);
                contexts += page.size();
                if (clock.instant().isAfter(deadline)) {
                    return done(tenant, buckets, contexts, 0, false);
                }
            }
            delete(stateBucket, List.of(S3StateStore.bucketKey(bucketId), RouteCodec.bucketKey(bucketId)));
            delete(stateBucket, List.of(marker));
            buckets++;
        }
        int images = 0;
        String imagePrefix = "images/" + TenantKey.of(tenant) + "/";
        List<String> page;
        while (!(page = firstPage(cdnBucket, imagePrefix)).isEmpty()) {
            if (clock.instant().isAfter(deadline)) {
                return done(tenant, buckets, contexts, images, false);
            }
            delete(cdnBucket, page);
            images += page.size();
        }
        return done(tenant, buckets, contexts, images, true);
    }

    /** The first page (up to 1000) of the keys under {@code prefix}. */
    private List<String> firstPage(String bucket, String prefix) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    private static Erased done(String tenant, int buckets, int contexts, int images, boolean complete) {
        // The tenant's name is the operator's identifier, not personal data; counts only.
        LOG.infof("erased tenant %s: %d bucket(s), %d context(s), %d image(s)%s", tenant, buckets, contexts, images,
                complete ? "" : "; more left, call again");
        return new Erased(tenant, buckets, contexts, images, complete);
    }

    private static Optional<UUID> contextId(String contextKey) {
        String name = contextKey.substring(contextKey.lastIndexOf('/') + 1);
        try {
            return Optional.of(UUID.fromString(name.substring(0, name.length() - ".json".length())));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private List<String> keys(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                    .continuationToken(continuation));
            page.contents().stream().map(S3Object::key).forEach(keys::add);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }

    /**
     * Deletes each key with its own DeleteObject call, {@link #PARALLEL_DELETES} at a time: portable to every
     * S3-compatible store (the batch call needs a request checksum that some refuse), and at tens of milliseconds
     * per call about a thousand keys a second. Deleting a key that is already gone is not an error in S3, so a
     * repeated erase is harmless.
     */
    private void delete(String bucket, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        Semaphore slots = new Semaphore(PARALLEL_DELETES);
        List<Future<?>> deletes = new ArrayList<>(keys.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String key : keys) {
                slots.acquireUninterruptibly();
                deletes.add(executor.submit(() -> {
                    try {
                        s3.deleteObject(b -> b.bucket(bucket).key(key));
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        for (Future<?> delete : deletes) {
            try {
                delete.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("could not delete from " + bucket, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while erasing", e);
            }
        }
    }
}
