package io.pushcore.send.config;

import java.net.URI;
import java.util.Objects;
import java.util.function.Predicate;

import io.pushcore.provider.apns.ApnsProvider;
import io.pushcore.provider.fcm.FcmProvider;
import io.pushcore.provider.hms.HmsProvider;

/**
 * How to reach APNs, FCM and Push Kit, from {@code send.providers.*}: the options every provider of that kind is
 * built with, which FCM {@code token_uri}s a service account may name and which URLs an {@code hms} credential may
 * name as {@code pushUrl}/{@code authUrl} (Google's and Huawei's only, unless private networks are allowed for
 * development and tests).
 */
public record ProviderSettings(ApnsProvider.Options apns, FcmProvider.Options fcm, HmsProvider.Options hms,
        Predicate<URI> fcmTokenUriAllowed, Predicate<URI> hmsUrlAllowed) {

    public ProviderSettings {
        Objects.requireNonNull(apns, "apns");
        Objects.requireNonNull(fcm, "fcm");
        Objects.requireNonNull(hms, "hms");
        Objects.requireNonNull(fcmTokenUriAllowed, "fcmTokenUriAllowed");
        Objects.requireNonNull(hmsUrlAllowed, "hmsUrlAllowed");
    }
}
