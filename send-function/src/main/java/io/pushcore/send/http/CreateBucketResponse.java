package io.pushcore.send.http;

import java.util.List;
import java.util.UUID;

/** {@code credentials[i]} belongs to {@code providerCredentials[i]} of the request: CORE clients match by index. */
public record CreateBucketResponse(UUID bucketId, List<CredentialRef> credentials) {

    public record CredentialRef(UUID id, String type) {
    }
}
