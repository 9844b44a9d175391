package io.pushcore.send.storage;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.crypto.CredentialCipher;
import io.pushcore.route.Callback;
import io.pushcore.route.RouteCodec;
import io.pushcore.send.Bucket;
import io.pushcore.send.config.WebhookKeys;
import io.pushcore.send.storage.StoredBucket.StoredCredential;

/**
 * Seals a bucket for S3 and opens its credentials again. Each credential's plaintext is sealed with associated
 * data {@code <bucketId>:<credentialId>}, so it cannot be moved to another bucket or credential; the callback is
 * sealed by {@link RouteCodec#sealCallback}, its one owner, because the aggregator opens the same value from the
 * bucket's route. Credentials are sealed under the credential key ring, the callback under the webhook key ring (the
 * only one the aggregator holds).
 */
@ApplicationScoped
public class BucketSealer {

    private final CredentialCipher cipher;
    private final CredentialCipher webhookCipher;

    BucketSealer(CredentialCipher cipher, @WebhookKeys CredentialCipher webhookCipher) {
        this.cipher = cipher;
        this.webhookCipher = webhookCipher;
    }

    public StoredBucket seal(Bucket bucket, Callback callback) {
        List<StoredCredential> credentials = bucket.credentials().stream()
                .map(c -> new StoredCredential(c.id(), c.type(), Base64.getEncoder().encodeToString(cipher.seal(
                        c.document().getBytes(StandardCharsets.UTF_8), aad(bucket.id(), c.id())))))
                .toList();
        return new StoredBucket(bucket.id(), bucket.tenant(), bucket.createdAt(), bucket.expiresAt(), credentials,
                RouteCodec.sealCallback(webhookCipher, bucket.id(), callback));
    }

    /**
     * The plaintext of one of {@code bucket}'s credentials.
     *
     * @throws io.pushcore.crypto.RetiredKeyException when it was sealed under a key no longer in the ring
     */
    public byte[] open(StoredBucket bucket, StoredCredential credential) {
        return cipher.open(Base64.getDecoder().decode(credential.sealedPayload()),
                aad(bucket.bucketId(), credential.id()));
    }

    static byte[] aad(UUID bucketId, UUID credentialId) {
        return (bucketId + ":" + credentialId).getBytes(StandardCharsets.UTF_8);
    }
}
