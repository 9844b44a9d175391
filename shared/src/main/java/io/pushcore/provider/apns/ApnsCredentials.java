package io.pushcore.provider.apns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

/**
 * A bucket's APNs credential, parsed and checked when the bucket is created (README "Credentials"): either a {@code .p8}
 * signing key ({@link Token}, type {@code apns_token}) or a push certificate ({@link Certificate}, type
 * {@code apns_cert}). Both carry the environment and the topics: {@code appBundleId} for iOS apps and
 * {@code websitePushId} for legacy Safari website push.
 *
 * <p>
 * Parse failures are {@link IllegalArgumentException}s whose message starts with the field name
 * ({@code "key: is not a PKCS#8 EC private key"}) and never contains key material; {@code toString()} never
 * shows keys either.
 */
public sealed interface ApnsCredentials {

    /** The {@code providerCredentials[].type} of a token credential. */
    String TOKEN_TYPE = "apns_token";
    /** The {@code providerCredentials[].type} of a certificate credential. */
    String CERTIFICATE_TYPE = "apns_cert";

    boolean production();

    /** The iOS app's bundle id, the topic for iOS device tokens; may be null. */
    String appBundleId();

    /** The legacy Safari website push id ({@code web.…}), the topic for Safari tokens; may be null. */
    String websitePushId();

    /**
     * Parses a credential payload as the API receives it ({@code production} may be a boolean or the strings
     * {@code "true"}/{@code "false"}: CORE's OpenAPI types it as a string).
     *
     * @param type {@link #TOKEN_TYPE} or {@link #CERTIFICATE_TYPE}
     */
    static ApnsCredentials parse(String type, Map<String, ?> payload) {
        Map<String, ?> p = payload == null ? Collections.emptyMap() : payload;
        boolean production = flag(p.get("production"));
        if (TOKEN_TYPE.equals(type)) {
            return Token.parse(text(p, "teamId"), text(p, "keyId"), text(p, "key"), production,
                    text(p, "appBundleId"), text(p, "websitePushId"));
        }
        if (CERTIFICATE_TYPE.equals(type)) {
            String p12 = text(p, "p12");
            if (p12 == null && (text(p, "cert") != null || text(p, "key") != null)) {
                return Certificate.fromPem(text(p, "cert"), text(p, "key"), production, text(p, "appBundleId"),
                        text(p, "websitePushId"));
            }
            return Certificate.fromP12(p12, text(p, "passphrase"), production, text(p, "appBundleId"),
                    text(p, "websitePushId"));
        }
        throw new IllegalArgumentException("type: must be apns_token or apns_cert");
    }

    /** Token-based authentication: a {@code .p8} ES256 signing key, its key id and the team id. */
    record Token(String teamId, String keyId, ECPrivateKey key, boolean production, String appBundleId,
            String websitePushId) implements ApnsCredentials {

        private static final Pattern APPLE_ID = Pattern.compile("[A-Z0-9]{10}");

        public Token {
            requireAppleId("teamId", teamId);
            requireAppleId("keyId", keyId);
            Objects.requireNonNull(key, "key");
            requireTopic(appBundleId, websitePushId);
        }

        /** Parses the {@code apns_token} fields; {@code keyPem} is the text of the {@code .p8} file. */
        public static Token parse(String teamId, String keyId, String keyPem, boolean production,
                String appBundleId, String websitePushId) {
            requireAppleId("teamId", teamId);
            requireAppleId("keyId", keyId);
            if (keyPem == null || keyPem.isBlank()) {
                throw new IllegalArgumentException("key: is required (the text of the .p8 file)");
            }
            if (!(Pem.pkcs8(Pem.block(keyPem, "PRIVATE KEY"), "EC") instanceof ECPrivateKey ec)) {
                throw new IllegalArgumentException("key: is not a PKCS#8 EC private key");
            }
            if (!Pem.isP256(ec)) {
                throw new IllegalArgumentException("key: is not on the P-256 curve that APNs keys use");
            }
            return new Token(teamId, keyId, ec, production, blankToNull(appBundleId), blankToNull(websitePushId));
        }

        private static void requireAppleId(String field, String value) {
            if (value == null || !APPLE_ID.matcher(value).matches()) {
                throw new IllegalArgumentException(field + ": must be the 10-character id from the Apple developer account");
            }
        }

        @Override
        public String toString() {
            return "ApnsCredentials.Token[teamId=" + teamId + ", keyId=" + keyId + ", production=" + production
                    + ", appBundleId=" + appBundleId + ", websitePushId=" + websitePushId + "]";
        }
    }

    /** Certificate-based (mutual TLS) authentication with an Apple push certificate and its private key. */
    record Certificate(X509Certificate certificate, PrivateKey key, boolean production, String appBundleId,
            String websitePushId) implements ApnsCredentials {

        private static final Pattern UID = Pattern.compile("(?:^|,)\\s*(?:UID|0\\.9\\.2342\\.19200300\\.100\\.1\\.1)=([^,]+)");

        public Certificate {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
            requireTopic(appBundleId, websitePushId);
        }

        /**
         * Parses the {@code apns_cert} p12 form. Without {@code appBundleId}/{@code websitePushId} the topic comes
         * from the certificate's subject {@code UID}, which is the bundle id (or {@code web.…} id) Apple issued
         * it for.
         */
        public static Certificate fromP12(String p12Base64, String passphrase, boolean production,
                String appBundleId, String websitePushId) {
            if (p12Base64 == null || p12Base64.isBlank()) {
                throw new IllegalArgumentException("p12: is required (base64 of the .p12 file), or cert and key");
            }
            byte[] der;
            try {
                der = Base64.getDecoder().decode(p12Base64.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("p12: is not base64");
            }
            char[] pass = passphrase == null ? new char[0] : passphrase.toCharArray();
            KeyStore store;
            try {
                store = KeyStore.getInstance("PKCS12");
                store.load(new ByteArrayInputStream(der), pass);
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException
                        || String.valueOf(e.getMessage()).contains("password")) {
                    throw new IllegalArgumentException("p12: cannot be decrypted with the passphrase");
                }
                throw new IllegalArgumentException("p12: is not a PKCS#12 file");
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("p12: is not a PKCS#12 file");
            }
            try {
                for (String alias : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(alias) && store.getKey(alias, pass) instanceof PrivateKey k
                            && store.getCertificate(alias) instanceof X509Certificate c) {
                        return checked("p12", c, k, production, appBundleId, websitePushId);
                    }
                }
            } catch (UnrecoverableKeyException e) {
                throw new IllegalArgumentException("p12: cannot be decrypted with the passphrase");
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("p12: cannot be read");
            }
            throw new IllegalArgumentException("p12: holds no private key with its certificate");
        }

        /** Parses the PEM alternative: a {@code CERTIFICATE} block and an unencrypted PKCS#8 or PKCS#1 key. */
        public static Certificate fromPem(String certPem, String keyPem, boolean production, String appBundleId,
                String websitePushId) {
            X509Certificate cert = Pem.certificate(Pem.block(certPem, "CERTIFICATE"));
            if (cert == null) {
                throw new IllegalArgumentException("cert: is not a PEM X.509 certificate");
            }
            if (keyPem != null && keyPem.contains("ENCRYPTED PRIVATE KEY")) {
                throw new IllegalArgumentException("key: encrypted PEM keys are not supported; send the p12 instead");
            }
            PrivateKey key = Pem.pkcs8(Pem.block(keyPem, "PRIVATE KEY"), cert.getPublicKey().getAlgorithm());
            if (key == null) {
                key = Pem.pkcs1Rsa(Pem.block(keyPem, "RSA PRIVATE KEY"));
            }
            if (key == null) {
                throw new IllegalArgumentException("key: is not a PEM private key for the certificate");
            }
            return checked("cert", cert, key, production, appBundleId, websitePushId);
        }

        private static Certificate checked(String field, X509Certificate cert, PrivateKey key, boolean production,
                String appBundleId, String websitePushId) {
            try {
                cert.checkValidity();
            } catch (CertificateExpiredException e) {
                throw new IllegalArgumentException(field + ": the certificate expired on "
                        + cert.getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                throw new IllegalArgumentException(field + ": the certificate is not valid before "
                        + cert.getNotBefore().toInstant());
            }
            if (!matches(cert, key)) {
                throw new IllegalArgumentException("key: does not belong to the certificate");
            }
            String bundle = blankToNull(appBundleId);
            String website = blankToNull(websitePushId);
            if (bundle == null && website == null) {
                String uid = subjectUid(cert);
                if (uid != null && uid.startsWith("web.")) {
                    website = uid;
                } else {
                    bundle = uid;
                }
            }
            return new Certificate(cert, key, production, bundle, website);
        }

        private static boolean matches(X509Certificate cert, PrivateKey key) {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            try {
                byte[] probe = "pushcore key check".getBytes();
                Signature s = Signature.getInstance(algorithm);
                s.initSign(key);
                s.update(probe);
                byte[] signature = s.sign();
                Signature v = Signature.getInstance(algorithm);
                v.initVerify(cert.getPublicKey());
                v.update(probe);
                return v.verify(signature);
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        }

        private static String subjectUid(X509Certificate cert) {
            Matcher m = UID.matcher(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
            if (!m.find()) {
                return null;
            }
            String v = m.group(1).trim();
            // RFC 2253 renders attributes it does not know by OID as #<hex DER>
            return v.startsWith("#") ? null : v;
        }

        /** When the certificate stops working; worth showing to the customer. */
        public Instant expiresAt() {
            return certificate.getNotAfter().toInstant();
        }

        @Override
        public String toString() {
            return "ApnsCredentials.Certificate[subject=" + certificate.getSubjectX500Principal().getName()
                    + ", expiresAt=" + expiresAt() + ", production=" + production + ", appBundleId=" + appBundleId
                    + ", websitePushId=" + websitePushId + "]";
        }
    }

    private static void requireTopic(String appBundleId, String websitePushId) {
        if (blankToNull(appBundleId) == null && blankToNull(websitePushId) == null) {
            throw new IllegalArgumentException("appBundleId: appBundleId or websitePushId is required");
        }
        if (blankToNull(websitePushId) != null && !websitePushId.startsWith("web.")) {
            throw new IllegalArgumentException("websitePushId: must start with web.");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String text(Map<String, ?> payload, String field) {
        Object v = payload.get(field);
        return v == null ? null : blankToNull(v.toString());
    }

    private static boolean flag(Object v) {
        if (v == null || v instanceof Boolean) {
            return Boolean.TRUE.equals(v);
        }
        return switch (v.toString().trim().toLowerCase()) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw new IllegalArgumentException("production: must be true or false");
        };
    }
}
