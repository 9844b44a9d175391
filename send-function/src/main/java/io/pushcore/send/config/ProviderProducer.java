package io.pushcore.send.config;

import java.net.URI;
import java.time.Clock;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.pushcore.crypto.CredentialCipher;
import io.pushcore.crypto.MessageIds;
import io.pushcore.net.NetworkPolicy;
import io.pushcore.provider.webpush.WebPushTransport;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.StartupEvent;

/** Builds shared's plain-Java objects from {@link SendConfig}; one of each per function instance. */
@ApplicationScoped
public class ProviderProducer {

    private final SendConfig config;

    ProviderProducer(SendConfig config) {
        this.config = config;
    }

    /** Fails startup, not the first request, when a key or the default VAPID subject is missing or malformed. */
    void validateAtStartup(@Observes StartupEvent event, CredentialCipher cipher, MessageIds messageIds) {
        String subject = config.webpush().defaultSubject();
        URI uri;
        try {
            uri = URI.create(subject);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("mailto".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalStateException(
                    "send.webpush.default-subject (SEND_WEBPUSH_DEFAULT_SUBJECT) must be a mailto: or https: URL");
        }
    }

    @Produces
    @Singleton
    CredentialCipher credentialCipher() {
        byte[] key = decodeKey(config.security().credentialKey(), "send.security.credential-key",
                "SEND_SECURITY_CREDENTIAL_KEY");
        if (key.length != 32) {
            throw new IllegalStateException(
                    "send.security.credential-key (SEND_SECURITY_CREDENTIAL_KEY) must be base64 of exactly 32 bytes");
        }
        return new CredentialCipher(key);
    }

    @Produces
    @Singleton
    MessageIds messageIds() {
        byte[] key = decodeKey(config.security().messageIdKey(), "send.security.message-id-key",
                "SEND_SECURITY_MESSAGE_ID_KEY");
        if (key.length < 32) {
            throw new IllegalStateException(
                    "send.security.message-id-key (SEND_SECURITY_MESSAGE_ID_KEY) must be base64 of at least 32 bytes");
        }
        return new MessageIds(key);
    }

    @Produces
    @Singleton
    NetworkPolicy networkPolicy() {
        return config.network().allowPrivate() ? new NetworkPolicy(true) : NetworkPolicy.PRODUCTION;
    }

    @Produces
    @Singleton
    WebPushTransport webPushTransport(NetworkPolicy policy) {
        return new WebPushTransport(config.webpush().connectTimeout(), config.webpush().requestTimeout(), policy);
    }

    void closeTransport(@Disposes WebPushTransport transport) {
        transport.close();
    }

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    private static byte[] decodeKey(String base64, String key, String env) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            // The message names the setting only: the value is a secret.
            throw new IllegalStateException(key + " (" + env + ") is not valid base64");
        }
    }
}
