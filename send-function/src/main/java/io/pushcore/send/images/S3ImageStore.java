package io.pushcore.send.images;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ImageStore} on the CDN bucket: {@code images/<sha256 of the bytes>-<variant>.<png|jpg>}, public through the
 * bucket policy on {@code images/*}, cached for a year (the key changes whenever the bytes do). Two instances storing
 * the same image at once both write identical bytes under the same key, which is harmless.
 */
public final class S3ImageStore implements ImageStore {

    static final String CACHE_CONTROL = "public, max-age=31536000, immutable";

    private final S3Client s3;
    private final String bucket;

    public S3ImageStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Stored store(ProcessedImage image) {
        String key = key(image);
        if (exists(key)) {
            return new Stored(key, false);
        }
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(image.contentType()).cacheControl(CACHE_CONTROL)
                .contentLength((long) image.bytes().length), RequestBody.fromBytes(image.bytes()));
        return new Stored(key, true);
    }

    static String key(ProcessedImage image) {
        return "images/" + sha256(image.bytes()) + "-" + image.variant().keySuffix() + "." + image.extension();
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
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
