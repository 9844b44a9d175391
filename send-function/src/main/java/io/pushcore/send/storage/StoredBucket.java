package io.pushcore.send.storage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A bucket as stored at {@code buckets/<bucketId>.json}. {@code sealedCallback} and each credential's
 * {@code sealedPayload} are base64 of AES-256-GCM envelopes (see {@code io.pushcore.crypto.CredentialCipher}).
 */
public record StoredBucket(UUID bucketId, String tenant, Instant createdAt, Instant expiresAt,
        List<StoredCredential> credentials, String sealedCallback) {

    public StoredBucket {
        credentials = List.copyOf(credentials);
    }

    /** Sealed with AAD {@code <bucketId>:<id>} so a payload cannot be moved to another bucket or credential. */
    public record StoredCredential(UUID id, String type, String sealedPayload) {
    }
}
