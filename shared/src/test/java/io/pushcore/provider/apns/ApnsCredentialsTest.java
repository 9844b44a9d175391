package io.pushcore.provider.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;

import io.pushcore.testing.apns.TestPki;

class ApnsCredentialsTest {

    private static final KeyPair CA_KEYS = TestPki.ecP256();
    private static final X509Certificate CA = TestPki.selfSignedCa("CN=test CA", CA_KEYS);
    private static final KeyPair P8 = TestPki.ecP256();
    private static final KeyPair RSA = TestPki.rsa2048();

    private static X509Certificate pushCertificate(String uid, Instant notAfter) {
        return TestPki.issue("UID=" + uid + ",CN=Apple Push Services: " + uid, RSA.getPublic(), CA,
                CA_KEYS.getPrivate(), Instant.now().minusSeconds(7200), notAfter);
    }

    @Test
    void parsesTokenCredentialFromTheP8Text() {
        ApnsCredentials c = ApnsCredentials.parse("apns_token", Map.of("teamId", "TEAM123456", "keyId", "KEY1234567",
                "key", TestPki.pem(P8.getPrivate()), "production", "true", "appBundleId", "com.example.app"));

        assertThat(c).isInstanceOfSatisfying(ApnsCredentials.Token.class, t -> {
            assertThat(t.production()).isTrue();
            assertThat(t.appBundleId()).isEqualTo("com.example.app");
            assertThat(t.websitePushId()).isNull();
            assertThat(t.key().getEncoded()).isEqualTo(P8.getPrivate().getEncoded());
        });
    }

    @Test
    void acceptsP8TextWithEscapedNewlines() {
        String escaped = TestPki.pem(P8.getPrivate()).replace("\n", "\\n");

        assertThat(ApnsCredentials.Token.parse("TEAM123456", "KEY1234567", escaped, false, null, "web.com.example")
                .websitePushId()).isEqualTo("web.com.example");
    }

    @Test
    void rejectsKeyThatIsNotAnEcPkcs8Key() {
        assertThatThrownBy(() -> ApnsCredentials.Token.parse("TEAM123456", "KEY1234567",
                TestPki.pem(RSA.getPrivate()), false, "com.example.app", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key: is not a PKCS#8 EC private key");
        assertThatThrownBy(() -> ApnsCredentials.Token.parse("TEAM123456", "KEY1234567", "garbage", false,
                "com.example.app", null)).hasMessage("key: is not a PKCS#8 EC private key");
    }

    @Test
    void rejectsEcKeyOnAnotherCurve() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));

        assertThatThrownBy(() -> ApnsCredentials.Token.parse("TEAM123456", "KEY1234567",
                TestPki.pem(g.generateKeyPair().getPrivate()), false, "com.example.app", null))
                .hasMessageStartingWith("key: is not on the P-256 curve");
    }

    @Test
    void requiresATopic() {
        assertThatThrownBy(() -> ApnsCredentials.Token.parse("TEAM123456", "KEY1234567",
                TestPki.pem(P8.getPrivate()), false, " ", null))
                .hasMessage("appBundleId: appBundleId or websitePushId is required");
    }

    @Test
    void rejectsMalformedTeamAndKeyIds() {
        assertThatThrownBy(() -> ApnsCredentials.Token.parse("team", "KEY1234567", TestPki.pem(P8.getPrivate()),
                false, "com.example.app", null)).hasMessageStartingWith("teamId: ");
        assertThatThrownBy(() -> ApnsCredentials.Token.parse("TEAM123456", null, TestPki.pem(P8.getPrivate()),
                false, "com.example.app", null)).hasMessageStartingWith("keyId: ");
    }

    @Test
    void neverShowsTheKeyInToString() {
        ApnsCredentials.Token t = ApnsCredentials.Token.parse("TEAM123456", "KEY1234567",
                TestPki.pem(P8.getPrivate()), false, "com.example.app", null);
        String secret = Base64.getEncoder().encodeToString(P8.getPrivate().getEncoded());

        assertThat(t.toString()).contains("TEAM123456").doesNotContain(secret.substring(40, 60))
                .doesNotContain("BEGIN");
    }

    @Test
    void parsesP12AndTakesTheTopicFromTheCertificateUid() {
        X509Certificate cert = pushCertificate("com.example.app", Instant.now().plusSeconds(86_400));

        ApnsCredentials c = ApnsCredentials.parse("apns_cert", Map.of("p12",
                TestPki.p12Base64(cert, RSA.getPrivate(), "pass"), "passphrase", "pass", "production", false));

        assertThat(c).isInstanceOfSatisfying(ApnsCredentials.Certificate.class, cc -> {
            assertThat(cc.appBundleId()).isEqualTo("com.example.app");
            assertThat(cc.certificate()).isEqualTo(cert);
            assertThat(cc.toString()).doesNotContain("pass");
        });
    }

    @Test
    void takesAWebsitePushIdFromTheCertificateUid() {
        X509Certificate cert = pushCertificate("web.com.example", Instant.now().plusSeconds(86_400));

        ApnsCredentials.Certificate c = ApnsCredentials.Certificate.fromP12(
                TestPki.p12Base64(cert, RSA.getPrivate(), "pass"), "pass", true, null, null);

        assertThat(c.websitePushId()).isEqualTo("web.com.example");
        assertThat(c.appBundleId()).isNull();
    }

    @Test
    void rejectsP12WithTheWrongPassphrase() {
        String p12 = TestPki.p12Base64(pushCertificate("com.example.app", Instant.now().plusSeconds(86_400)),
                RSA.getPrivate(), "right");

        assertThatThrownBy(() -> ApnsCredentials.Certificate.fromP12(p12, "wrong", false, null, null))
                .hasMessage("p12: cannot be decrypted with the passphrase");
    }

    @Test
    void rejectsP12ThatIsNotBase64OrNotPkcs12() {
        assertThatThrownBy(() -> ApnsCredentials.Certificate.fromP12("***", "x", false, "a.b", null))
                .hasMessage("p12: is not base64");
        assertThatThrownBy(() -> ApnsCredentials.Certificate.fromP12("aGVsbG8=", "x", false, "a.b", null))
                .hasMessage("p12: is not a PKCS#12 file");
    }

    @Test
    void rejectsExpiredCertificateWithItsExpiryDate() {
        Instant expired = Instant.parse("2024-06-01T00:00:00Z");
        X509Certificate cert = TestPki.issue("UID=com.example.app", RSA.getPublic(), CA, CA_KEYS.getPrivate(),
                Instant.parse("2024-01-01T00:00:00Z"), expired);

        assertThatThrownBy(() -> ApnsCredentials.Certificate.fromP12(TestPki.p12Base64(cert, RSA.getPrivate(), "p"),
                "p", false, null, null)).hasMessage("p12: the certificate expired on 2024-06-01T00:00:00Z");
    }

    @Test
    void parsesPemCertificateWithPkcs8OrPkcs1Key() throws Exception {
        X509Certificate cert = pushCertificate("com.example.app", Instant.now().plusSeconds(86_400));
        byte[] pkcs1 = PrivateKeyInfo.getInstance(RSA.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive()
                .getEncoded();

        assertThat(ApnsCredentials.parse("apns_cert", Map.of("cert", TestPki.pem(cert), "key",
                TestPki.pem(RSA.getPrivate()))).appBundleId()).isEqualTo("com.example.app");
        assertThat(ApnsCredentials.Certificate.fromPem(TestPki.pem(cert), TestPki.pem("RSA PRIVATE KEY", pkcs1),
                false, "com.other", null).appBundleId()).isEqualTo("com.other");
    }

    @Test
    void rejectsPemKeyThatDoesNotBelongToTheCertificate() {
        X509Certificate cert = pushCertificate("com.example.app", Instant.now().plusSeconds(86_400));

        assertThatThrownBy(() -> ApnsCredentials.Certificate.fromPem(TestPki.pem(cert),
                TestPki.pem(TestPki.rsa2048().getPrivate()), false, null, null))
                .hasMessage("key: does not belong to the certificate");
        assertThatThrownBy(() -> ApnsCredentials.Certificate.fromPem("nope", TestPki.pem(RSA.getPrivate()), false,
                null, null)).hasMessage("cert: is not a PEM X.509 certificate");
    }

    @Test
    void rejectsUnknownTypeAndUnreadableProductionFlag() {
        assertThatThrownBy(() -> ApnsCredentials.parse("fcm_v1", Map.of())).hasMessageStartingWith("type: ");
        assertThatThrownBy(() -> ApnsCredentials.parse("apns_token", Map.of("production", "maybe")))
                .hasMessage("production: must be true or false");
    }
}
