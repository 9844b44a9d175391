package io.pushcore.send.credential;

import java.util.UUID;

import io.pushcore.provider.apns.ApnsCredentials;
import io.pushcore.provider.fcm.FcmCredentials;
import io.pushcore.provider.hms.HmsCredentials;
import io.pushcore.provider.webpush.VapidKeys;

/**
 * One provider credential of a bucket, parsed once ({@link CredentialParser}). {@link #document()} is the plaintext
 * sealed at rest (JSON; an {@code fcm_v1} service account exactly as given): it holds secrets, and
 * {@code toString()} never shows it or any key.
 */
public sealed interface Credential {

    UUID id();

    /** The CORE wire name of the credential type. */
    String type();

    /** The plaintext sealed at rest. */
    String document();

    /** A VAPID key pair and the JWT {@code sub} to use. */
    record Vapid(UUID id, VapidKeys keys, String subject, String document) implements Credential {

        public static final String TYPE = "vapid";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String toString() {
            return "Vapid[id=" + id + ", subject=" + subject + "]";
        }
    }

    /** An {@code fcm_v1} credential: a Google service account. */
    record Fcm(UUID id, FcmCredentials account, String document) implements Credential {

        @Override
        public String type() {
            return FcmCredentials.TYPE;
        }

        @Override
        public String toString() {
            return "Fcm[id=" + id + ", " + account + "]";
        }
    }

    /** An {@code apns_token} or {@code apns_cert} credential. */
    record Apns(UUID id, ApnsCredentials credentials, String document) implements Credential {

        @Override
        public String type() {
            return credentials instanceof ApnsCredentials.Token ? ApnsCredentials.TOKEN_TYPE
                    : ApnsCredentials.CERTIFICATE_TYPE;
        }

        @Override
        public String toString() {
            return "Apns[id=" + id + ", " + credentials + "]";
        }
    }

    /** An {@code hms} credential: a Huawei Push Kit app. */
    record Hms(UUID id, HmsCredentials credentials, String document) implements Credential {

        @Override
        public String type() {
            return HmsCredentials.TYPE;
        }

        @Override
        public String toString() {
            return "Hms[id=" + id + ", " + credentials + "]";
        }
    }

    /**
     * An {@code fcm_legacy} credential. Google shut the legacy FCM HTTP API down in 2024, so the bucket is accepted
     * (CORE users send all their providers in one bucket) but its receivers are refused; its payload is not kept.
     */
    record FcmLegacy(UUID id) implements Credential {

        public static final String TYPE = "fcm_legacy";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String document() {
            return "{}";
        }
    }

    /**
     * A stored credential that no longer parses (an APNs certificate that expired since the bucket was created, a
     * type this version does not know): its receivers are refused with {@code reason}.
     */
    record Unusable(UUID id, String type, String reason, String document) implements Credential {

        @Override
        public String toString() {
            return "Unusable[id=" + id + ", type=" + type + ", reason=" + reason + "]";
        }
    }
}
