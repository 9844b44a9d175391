package io.pushcore.send.http;

import io.pushcore.send.ReceiverInput;

/**
 * A receiver as CORE SDKs build it. Nothing is required here: a receiver's own problems become its own result
 * errors, not a 400 for the request. {@code type} is the SDK's subscription type ({@code vapid},
 * {@code fcm/android}, {@code apns/ios}, {@code apns/safari}); other extra fields (publicKey, project,
 * appBundleId, websitePushId, expirationTime…) are ignored.
 */
public record ReceiverRequest(String credentialId, String foreignId, String endpoint, String p256dh, String auth,
        String token, String type) {

    ReceiverInput toInput(String path) {
        return new ReceiverInput(path, credentialId, foreignId, endpoint, p256dh, auth, token, type);
    }
}
