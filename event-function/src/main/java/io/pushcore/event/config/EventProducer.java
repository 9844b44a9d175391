package io.pushcore.event.config;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

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
        return MessageIds.fromConfig(config.security().messageIdKey(),
                "event.security.message-id-key (EVENT_SECURITY_MESSAGE_ID_KEY)");
    }

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** pushcore's metrics as EMF in the Lambda log ({@link EmfMeterRegistry}); keeps nothing where no namespace is set. */
    @Produces
    @Singleton
    static EmfMeterRegistry emfMeterRegistry() {
        return EmfMeterRegistry.forNamespace(
                () -> ConfigProvider.getConfig().getOptionalValue("pushcore.metrics.namespace", String.class));
    }
}
