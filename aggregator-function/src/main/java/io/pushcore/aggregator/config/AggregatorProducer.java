package io.pushcore.aggregator.config;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.micrometer.core.instrument.Metrics;
import io.pushcore.crypto.CredentialCipher;
import io.pushcore.crypto.KeyRing;
import io.pushcore.metrics.EmfMeterRegistry;
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

    /** Fails startup, not the first run, when the webhook key ring is missing or malformed. */
    void validateAtStartup(@Observes StartupEvent event, CredentialCipher cipher) {
    }

    /** Opens webhook callbacks: over the webhook key ring, the only keys the aggregator holds. */
    @Produces
    @Singleton
    CredentialCipher webhookCipher() {
        return webhookCipher(config);
    }

    /** The cipher over {@code aggregator.security.webhook-keys}; errors name the setting, never a key. */
    public static CredentialCipher webhookCipher(AggregatorConfig config) {
        return new CredentialCipher(KeyRing.fromConfig("aggregator.security.webhook", null,
                Optional.of(config.security().webhookKeys()), config.security().webhookKeysActive(),
                CredentialCipher.MASTER_KEY_BYTES, CredentialCipher.MASTER_KEY_BYTES));
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

    /**
     * pushcore's metrics as EMF in the Lambda log ({@link EmfMeterRegistry}); writes nothing where no namespace is set.
     * Added to Micrometer's global registry (Quarkus' root) by hand and typed as itself only, so an injected
     * {@code MeterRegistry} stays the root that feeds both registries.
     */
    @Produces
    @Singleton
    @Typed(EmfMeterRegistry.class)
    static EmfMeterRegistry emfMeterRegistry() {
        EmfMeterRegistry emf = EmfMeterRegistry.forNamespace(
                () -> ConfigProvider.getConfig().getOptionalValue("pushcore.metrics.namespace", String.class));
        Metrics.globalRegistry.add(emf);
        return emf;
    }
}
