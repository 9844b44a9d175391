package io.pushcore.send;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A bucket with its credentials decrypted: lives only in memory. */
public record Bucket(UUID id, String tenant, Instant createdAt, Instant expiresAt, List<Credential> credentials,
        CallbackConfig callback) {

    public Bucket {
        credentials = List.copyOf(credentials);
    }

    public Optional<Credential> credential(String credentialId) {
        return credentials.stream().filter(c -> c.id().toString().equalsIgnoreCase(credentialId)).findFirst();
    }
}
