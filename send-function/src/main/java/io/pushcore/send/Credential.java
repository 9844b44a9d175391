package io.pushcore.send;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.pushcore.provider.apns.ApnsCredentials;
import io.pushcore.provider.fcm.FcmCredentials;

/**
 * One decrypted provider credential of a bucket, as the customer sent it. The payloads were validated when the
 * bucket was created; providers parse them again when they are built. {@code toString()} never shows secrets.
 */
public sealed interface Credential {

    UUID id();

    /** The CORE wire name of the credential type. */
    String type();

    /** A VAPID key pair (base64url, as web-push tools print them) and the JWT {@code sub} to use. */
    record Vapid(UUID id, String publicKey, String privateKey, String subject) implements Credential {

        public static final String TYPE = "vapid";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String toString() {
            return "Vapid[id=" + id + ", publicKey=" + publicKey + ", subject=" + subject + "]";
        }
    }

    /** An {@code fcm_v1} credential: the Google service-account JSON exactly as given. */
    record Fcm(UUID id, String serviceAccountJson) implements Credential {

        @Override
        public String type() {
            return FcmCredentials.TYPE;
        }

        @Override
        public String toString() {
            return "Fcm[id=" + id + "]";
        }
    }

    /** An {@code apns_token} or {@code apns_cert} credential: its payload fields as given. */
    record Apns(UUID id, String type, Map<String, Object> payload) implements Credential {

        public Apns {
            if (!ApnsCredentials.TOKEN_TYPE.equals(type) && !ApnsCredentials.CERTIFICATE_TYPE.equals(type)) {
                throw new IllegalArgumentException("not an APNs credential type: " + type);
            }
            // JSON nulls are allowed, so not Map.copyOf.
            payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
        }

        public ApnsCredentials parse() {
            return ApnsCredentials.parse(type, payload);
        }

        @Override
        public String toString() {
            return "Apns[id=" + id + ", type=" + type + "]";
        }
    }
}
