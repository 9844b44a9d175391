package io.pushcore.event.config;

import java.time.Clock;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.pushcore.crypto.MessageIds;
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
        byte[] key;
        try {
            key = Base64.getDecoder().decode(config.security().messageIdKey().trim());
        } catch (IllegalArgumentException e) {
            // The message names the setting only: the value is a secret.
            throw new IllegalStateException(
                    "event.security.message-id-key (EVENT_SECURITY_MESSAGE_ID_KEY) is not valid base64");
        }
        if (key.length < 32) {
            throw new IllegalStateException(
                    "event.security.message-id-key (EVENT_SECURITY_MESSAGE_ID_KEY) must be base64 of at least 32 bytes");
        }
        return new MessageIds(key);
    }

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
