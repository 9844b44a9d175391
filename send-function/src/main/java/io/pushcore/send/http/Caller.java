package io.pushcore.send.http;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;

import io.pushcore.send.storage.StoredToken;

/** The tenant whose API key authenticated the current request, and the issued token it was (with its limits). */
@RequestScoped
public class Caller {

    private ApiKeys.Identity identity;

    void authenticatedAs(ApiKeys.Identity identity) {
        this.identity = identity;
    }

    public String tenant() {
        return identity().tenant();
    }

    /** Empty for a bootstrap key ({@code send.auth.api-keys}), which has no quotas. */
    public Optional<StoredToken> token() {
        return identity().token();
    }

    private ApiKeys.Identity identity() {
        if (identity == null) {
            throw new IllegalStateException("request was not authenticated");
        }
        return identity;
    }
}
