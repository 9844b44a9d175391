package io.pushcore.send;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.pushcore.send.credential.Credential;

/**
 * A bucket with its credentials parsed: lives only in memory. Its callback is not here: it is sealed into the
 * bucket's route at creation, and only the aggregator opens it.
 */
public record Bucket(UUID id, String tenant, Instant createdAt, Instant expiresAt, List<Credential> credentials) {

    public Bucket {
        credentials = List.copyOf(credentials);
    }

    public Optional<Credential> credential(String credentialId) {
        return credentials.stream().filter(c -> c.id().toString().equalsIgnoreCase(credentialId)).findFirst();
    }
}
