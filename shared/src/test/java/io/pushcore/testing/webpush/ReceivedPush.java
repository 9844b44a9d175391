package io.pushcore.testing.webpush;

import java.util.Locale;
import java.util.Map;

/**
 * One request the {@link FakeWebPushServer} received: whose subscription it was for, its headers (names in lower
 * case), the status answered, the decrypted payload (null when decryption failed, with the reason in
 * {@code decryptionProblem}) and the VAPID token and key with the reason it failed to verify, if it did.
 */
public record ReceivedPush(
        String subscriberId,
        Map<String, String> headers,
        int status,
        String plaintext,
        String decryptionProblem,
        String vapidToken,
        String vapidPublicKey,
        String vapidProblem) {

    public ReceivedPush {
        headers = Map.copyOf(headers);
    }

    public boolean decrypted() {
        return plaintext != null;
    }

    public boolean vapidVerified() {
        return vapidToken != null && vapidProblem == null;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
