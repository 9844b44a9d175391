package io.pushcore.send.config;

import java.net.URI;
import java.util.Objects;
import java.util.function.Predicate;

import io.pushcore.provider.apns.ApnsProvider;
import io.pushcore.provider.fcm.FcmProvider;

/**
 * How to reach APNs and FCM, from {@code send.providers.*}: the options every provider of that kind is built with,
 * and which FCM {@code token_uri}s a service account may name (Google's only, unless private networks are allowed
 * for development and tests).
 */
public record ProviderSettings(ApnsProvider.Options apns, FcmProvider.Options fcm, Predicate<URI> fcmTokenUriAllowed) {

    public ProviderSettings {
        Objects.requireNonNull(apns, "apns");
        Objects.requireNonNull(fcm, "fcm");
        Objects.requireNonNull(fcmTokenUriAllowed, "fcmTokenUriAllowed");
    }
}
