package io.pushcore.send.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.model.DataContent;
import io.pushcore.model.RawContent;
import io.pushcore.model.SilentContent;
import io.pushcore.route.BucketRoute;
import io.pushcore.route.ContextRoute;
import io.pushcore.route.RouteCodec;
import io.pushcore.send.config.SendConfig;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@link StateStore} on S3, in {@code send.state.bucket}: {@code buckets/<bucketId>.json},
 * {@code contexts/<bucketId>/<contextId>.json}, the {@code routes/} records, and {@code tenants/<tenant key>/buckets/
 * <bucketId>} (empty; which buckets a tenant made, for {@link TenantEraser}). Every prefix expires by the state
 * bucket's lifecycle.
 */
@ApplicationScoped
public class S3StateStore implements StateStore {

    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;

    S3StateStore(S3Client s3, ObjectMapper json, SendConfig config) {
        this.s3 = s3;
        this.json = json;
        this.bucket = config.state().bucket();
    }

    @Override
    public void putBucket(StoredBucket stored) {
        put(bucketKey(stored.bucketId()), stored);
        // The tenant's index, read only when its data is erased (TenantEraser); empty, expiring like the rest.
        putBytes(tenantBucketKey(stored.tenant(), stored.bucketId()), new byte[0]);
    }

    @Override
    public Optional<StoredBucket> findBucket(UUID bucketId) {
        return get(bucketKey(bucketId)).map(bytes -> read(bytes, StoredBucket.class));
    }

    @Override
    public void putContext(StoredContext context) {
        put(contextKey(context.bucketId(), context.contextId()), new ContextDocument(context.contextId(), context.bucketId(),
                context.tenant(), context.kind(), json.valueToTree(context.content()), context.expiresAt(),
                context.ttlSeconds()));
    }

    @Override
    public Optional<StoredContext> findContext(UUID bucketId, UUID contextId) {
        return get(contextKey(bucketId, contextId)).map(bytes -> {
            ContextDocument doc = read(bytes, ContextDocument.class);
            Class<? extends io.pushcore.model.Content> type = switch (doc.kind()) {
                case "silent" -> SilentContent.class;
                case "raw" -> RawContent.class;
                default -> DataContent.class;
            };
            try {
                return new StoredContext(doc.contextId(), doc.bucketId(), doc.tenant(), doc.kind(),
                        json.treeToValue(doc.content(), type), doc.expiresAt(), doc.ttlSeconds());
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable context " + contextId, e);
            }
        });
    }

    @Override
    public void putRoute(BucketRoute route) {
        putBytes(RouteCodec.bucketKey(route.bucketId()), RouteCodec.write(route));
    }

    @Override
    public void putRoute(ContextRoute route) {
        putBytes(RouteCodec.contextKey(route.contextId()), RouteCodec.write(route));
    }

    static String bucketKey(UUID bucketId) {
        return "buckets/" + bucketId + ".json";
    }

    /** Under its bucket, so erasing a bucket finds its contexts by listing one prefix. */
    static String contextKey(UUID bucketId, UUID contextId) {
        return contextPrefix(bucketId) + contextId + ".json";
    }

    static String contextPrefix(UUID bucketId) {
        return "contexts/" + bucketId + "/";
    }

    static String tenantBucketKey(String tenant, UUID bucketId) {
        return tenantBucketPrefix(tenant) + bucketId;
    }

    static String tenantBucketPrefix(String tenant) {
        return "tenants/" + TenantKey.of(tenant) + "/buckets/";
    }

    private void put(String key, Object document) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        putBytes(key, bytes);
    }

    private void putBytes(String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(bytes));
    }

    private Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private <T> T read(byte[] bytes, Class<T> type) {
        try {
            return json.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable state document", e);
        }
    }

    /**
     * The JSON shape of a stored context: content is untyped here and read back by {@code kind}; {@code ttlSeconds}
     * is absent from contexts stored before it was kept.
     */
    record ContextDocument(UUID contextId, UUID bucketId, String tenant, String kind, JsonNode content,
            Instant expiresAt, Long ttlSeconds) {
    }
}
