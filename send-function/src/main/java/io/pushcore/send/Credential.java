package io.pushcore.send;

import java.util.UUID;

/** One decrypted provider credential of a bucket. Only {@code vapid} exists in this version. */
public sealed interface Credential {

    UUID id();

    /** The CORE wire name of the credential type. */
    String type();

    /** A VAPID key pair (base64url, as web-push tools print them) and the JWT {@code sub} to use. */
    record Vapid(UUID id, String publicKey, String privateKey, String subject) implements Credential {

        @Override
        public String type() {
            return "vapid";
        }

        @Override
        public String toString() {
            return "Vapid[id=" + id + ", publicKey=" + publicKey + ", subject=" + subject + "]";
        }
    }
}
