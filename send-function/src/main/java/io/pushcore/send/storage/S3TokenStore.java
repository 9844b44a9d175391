package io.pushcore.send.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.send.config.SendConfig;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link TokenStore} on S3 in {@code send.state.bucket}. */
@ApplicationScoped
public class S3TokenStore implements TokenStore {

    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;

    S3TokenStore(S3Client s3, ObjectMapper json, SendConfig config) {
        this.s3 = s3;
        this.json = json;
        this.bucket = config.state().bucket();
    }

    @Override
    public void put(StoredToken token) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.putObject(b -> b.bucket(bucket).key(tokenKey(token.tokenId())).contentType("application/json"),
                RequestBody.fromBytes(bytes));
        s3.putObject(b -> b.bucket(bucket).key(markerKey(token.tenant(), token.tokenId())), RequestBody.empty());
    }

    @Override
    public Optional<StoredToken> find(String tokenId) {
        try {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(tokenKey(tokenId))).asByteArray();
            return Optional.of(json.readValue(bytes, StoredToken.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable token record " + tokenId, e);
        }
    }

    @Override
    public List<StoredToken> ofTenant(String tenant) {
        String prefix = markerPrefix(tenant);
        List<StoredToken> tokens = new ArrayList<>();
        for (S3Object marker : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            find(marker.key().substring(prefix.length())).filter(t -> t.tenant().equals(tenant))
                    .ifPresent(tokens::add);
        }
        tokens.sort(Comparator.comparing(StoredToken::createdAt));
        return tokens;
    }

    /** Read, change, write with {@code If-Match} on the ETag read; another writer in between means read again. */
    @Override
    public Optional<StoredToken> update(String tokenId, UnaryOperator<StoredToken> change) {
        for (int attempt = 0; attempt < 10; attempt++) {
            ResponseBytes<GetObjectResponse> current;
            try {
                current = s3.getObjectAsBytes(b -> b.bucket(bucket).key(tokenKey(tokenId)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
            StoredToken changed;
            byte[] bytes;
            try {
                changed = change.apply(json.readValue(current.asByteArray(), StoredToken.class));
                bytes = json.writeValueAsBytes(changed);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable token record " + tokenId, e);
            }
            String etag = current.response().eTag();
            try {
                s3.putObject(b -> b.bucket(bucket).key(tokenKey(tokenId)).contentType("application/json").ifMatch(etag),
                        RequestBody.fromBytes(bytes));
                return Optional.of(changed);
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty(); // revoked meanwhile
                }
                if (e.statusCode() != 412 && e.statusCode() != 409) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("token record " + tokenId + " changed concurrently too often");
    }

    @Override
    public boolean delete(String tokenId) {
        Optional<StoredToken> token = find(tokenId);
        if (token.isEmpty()) {
            return false;
        }
        s3.deleteObject(b -> b.bucket(bucket).key(tokenKey(tokenId)));
        s3.deleteObject(b -> b.bucket(bucket).key(markerKey(token.get().tenant(), tokenId)));
        return true;
    }

    static String tokenKey(String tokenId) {
        return "admin/tokens/" + tokenId + ".json";
    }

    private static String markerKey(String tenant, String tokenId) {
        return markerPrefix(tenant) + tokenId;
    }

    private static String markerPrefix(String tenant) {
        return "admin/tenant-tokens/" + TenantKey.of(tenant) + "/";
    }
}
