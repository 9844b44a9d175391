package io.pushcore.send.storage;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.pushcore.send.config.SendConfig;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link QuotaCounters} on S3 conditional writes: read the counter and its ETag, write the new count with
 * {@code If-Match} (or {@code If-None-Match: *} for a window's first lease); a 412 or 409 means another instance
 * wrote first, so read again (short jittered backoff).
 */
@ApplicationScoped
public class S3QuotaCounters implements QuotaCounters {

    static final int ATTEMPTS = 20;

    private final S3Client s3;
    private final String bucket;

    @Inject
    S3QuotaCounters(S3Client s3, SendConfig config) {
        this(s3, config.state().bucket());
    }

    public S3QuotaCounters(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public long lease(String counter, long need, long want, long quota) {
        String key = "quota/" + counter + ".json";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String etag = null;
            long used = 0;
            try {
                ResponseBytes<GetObjectResponse> current = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
                etag = current.response().eTag();
                used = Long.parseLong(current.asString(StandardCharsets.UTF_8).trim());
            } catch (NoSuchKeyException e) {
                // the window's first lease
            }
            long left = quota - used;
            if (left < need) {
                return 0;
            }
            long grant = Math.min(want, left);
            String expected = etag;
            try {
                s3.putObject(b -> {
                    b.bucket(bucket).key(key).contentType("text/plain");
                    if (expected == null) {
                        b.ifNoneMatch("*");
                    } else {
                        b.ifMatch(expected);
                    }
                }, RequestBody.fromString(Long.toString(used + grant)));
                return grant;
            } catch (S3Exception e) {
                if (e.statusCode() != 412 && e.statusCode() != 409) {
                    throw e;
                }
            }
            // another instance wrote first: back off a little (more after each loss) and read again
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1, 2 + Math.min(attempt, 10)) * 1_000_000L);
        }
        throw new IllegalStateException("quota counter " + key + " still contended after " + ATTEMPTS + " attempts");
    }
}
