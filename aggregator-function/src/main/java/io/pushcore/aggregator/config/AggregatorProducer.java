package io.pushcore.aggregator.config;

import java.time.Clock;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.pushcore.crypto.CredentialCipher;
import io.pushcore.net.NetworkPolicy;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.StartupEvent;

/** Builds shared's plain-Java objects from {@link AggregatorConfig}; one of each per function instance. */
@ApplicationScoped
public class AggregatorProducer {

    private final AggregatorConfig config;

    AggregatorProducer(AggregatorConfig config) {
        this.config = config;
    }

    /** Fails startup, not the first run, when the credential key is missing or malformed. */
    void validateAtStartup(@Observes StartupEvent event, CredentialCipher cipher) {
    }

    @Produces
    @Singleton
    CredentialCipher credentialCipher() {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(config.security().credentialKey().trim());
        } catch (IllegalArgumentException e) {
            // The message names the setting only: the value is a secret.
            throw new IllegalStateException(
                    "aggregator.security.credential-key (AGGREGATOR_SECURITY_CREDENTIAL_KEY) is not valid base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException("aggregator.security.credential-key (AGGREGATOR_SECURITY_CREDENTIAL_KEY)"
                    + " must be base64 of exactly 32 bytes");
        }
        return new CredentialCipher(key);
    }

    @Produces
    @Singleton
    NetworkPolicy networkPolicy() {
        return config.network().allowPrivate() ? new NetworkPolicy(true) : NetworkPolicy.PRODUCTION;
    }

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
