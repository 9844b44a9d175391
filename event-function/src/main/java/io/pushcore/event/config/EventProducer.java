package io.pushcore.event.config;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.micrometer.core.instrument.Metrics;
import io.pushcore.crypto.KeyRing;
import io.pushcore.crypto.MessageIds;
import io.pushcore.metrics.EmfMeterRegistry;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.StartupEvent;

/** Builds shared's plain-Java objects from {@link EventConfig}; one of each per function instance. */
@ApplicationScoped
public class EventProducer {

    private final EventConfig config;

    EventProducer(EventConfig config) {
        this.config = config;
    }

    /** Fails startup, not the first request, when the message-id key is missing or malformed. */
    void validateAtStartup(@Observes StartupEvent event, MessageIds messageIds) {
    }

    @Produces
    @Singleton
    MessageIds messageIds() {
        EventConfig.Security security = config.security();
        return new MessageIds(KeyRing.fromConfig("event.security.message-id", security.messageIdKey(),
                security.messageIdKeys(), security.messageIdKeysActive(), MessageIds.MIN_KEY_BYTES,
                Integer.MAX_VALUE));
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
