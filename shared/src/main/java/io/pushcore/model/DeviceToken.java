package io.pushcore.model;

import java.util.Objects;

/** An FCM registration token or an APNs device token, as the mobile SDK reported it. */
public record DeviceToken(String token) implements Address {

    public DeviceToken {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token: must not be blank");
        }
    }

    @Override
    public String toString() {
        return "DeviceToken[" + token.substring(0, Math.min(8, token.length())) + "…]";
    }
}
