package io.pushcore.route;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A bucket's webhook as the aggregator needs it: the {@link Callback} sealed with {@code CredentialCipher} under
 * the webhook key ring ({@link RouteCodec#sealCallback}), kept until {@code retainUntil}. {@code disabledAt} is set
 * by the aggregator when the webhook answered 410 Gone; no package is delivered to it afterwards.
 */
public record BucketRoute(UUID bucketId, String sealedCallback, Instant retainUntil, Instant disabledAt) {

    public BucketRoute {
        Objects.requireNonNull(bucketId, "bucketId");
        Objects.requireNonNull(sealedCallback, "sealedCallback");
        Objects.requireNonNull(retainUntil, "retainUntil");
    }

    public boolean isRetained(Instant now) {
        return now.isBefore(retainUntil);
    }

    public BucketRoute disabled(Instant at) {
        return new BucketRoute(bucketId, sealedCallback, retainUntil, at);
    }
}
