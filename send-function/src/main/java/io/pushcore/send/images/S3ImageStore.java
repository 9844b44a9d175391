package io.pushcore.send.images;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ImageStore} on the CDN bucket: {@code images/<tenant key>/<sha256 of the bytes>-<variant>.<png|jpg>}, public
 * through the bucket policy on {@code images/*}, cached for a year (the key changes whenever the bytes do). Two
 * instances storing the same image at once both write identical bytes under the same key, which is harmless.
 *
 * <p>
 * The bucket's lifecycle deletes an image {@code RetentionDays} after it was last written. An image reused by a new
 * context must outlive that context, so one older than {@code refreshAfter} (the retention minus the longest a
 * context lives) is written again, which restarts its lifecycle count.
 */
public final class S3ImageStore implements ImageStore {

    static final String CACHE_CONTROL = "public, max-age=31536000, immutable";

    private final S3Client s3;
    private final String bucket;
    private final Duration refreshAfter;
    private final Clock clock;

    public S3ImageStore(S3Client s3, String bucket, Duration refreshAfter, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.refreshAfter = refreshAfter;
        this.clock = clock;
    }

    @Override
    public Stored store(String tenantKey, ProcessedImage image) {
        String key = key(tenantKey, image);
        Instant written = lastWritten(key);
        if (written != null && written.isAfter(clock.instant().minus(refreshAfter))) {
            return new Stored(key, false);
        }
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(image.contentType()).cacheControl(CACHE_CONTROL)
                .contentLength((long) image.bytes().length), RequestBody.fromBytes(image.bytes()));
        return new Stored(key, true);
    }

    static String key(String tenantKey, ProcessedImage image) {
        return "images/" + tenantKey + "/" + sha256(image.bytes()) + "-" + image.variant().keySuffix() + "."
                + image.extension();
    }

    /** When the object was last written, or null when there is none. */
    private Instant lastWritten(String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key)).lastModified();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
