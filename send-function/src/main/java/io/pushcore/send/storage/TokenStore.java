package io.pushcore.send.storage;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * API tokens created through the admin API, kept in the state bucket outside the retention lifecycle: one record
 * per token ({@code admin/tokens/<tokenId>.json}: tenant, SHA-256 of the key, creation time) and one empty marker
 * per tenant and token ({@code admin/tenant-tokens/<tenant segment>/<tokenId>}) to list a tenant's tokens.
 */
public interface TokenStore {

    void put(StoredToken token);

    Optional<StoredToken> find(String tokenId);

    /** The tenant's tokens, oldest first. */
    List<StoredToken> ofTenant(String tenant);

    /**
     * Replaces the token's record with {@code change} applied to it, atomically against concurrent changes (an admin
     * call on another instance); empty when there is no such token.
     */
    Optional<StoredToken> update(String tokenId, UnaryOperator<StoredToken> change);

    /** Deletes the token's record and marker; false when there was no such token. */
    boolean delete(String tokenId);
}
