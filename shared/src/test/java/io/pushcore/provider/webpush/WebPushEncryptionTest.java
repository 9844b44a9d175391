package io.pushcore.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.Cipher;

import org.bouncycastle.jce.interfaces.ECPublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.martijndwars.webpush.Encoding;
import nl.martijndwars.webpush.HttpEce;
import nl.martijndwars.webpush.Utils;

class WebPushEncryptionTest {

    private final WebPushEncryption encryption = new WebPushEncryption();

    @BeforeAll
    static void registerBouncyCastle() {
        BouncyCastle.ensureRegistered();
    }

    /** RFC 8291 §5 (Appendix A): fixed sender key and salt give the published body byte for byte. */
    @Test
    void reproducesTheRfc8291Example() {
        byte[] body = encryption.encrypt(
                "When I grow up, I want to be a watermelon".getBytes(StandardCharsets.US_ASCII),
                b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
                b64("BTBZMqHH6r4Tts7J_aSIgg"),
                WebPushEncryption.keyPair(b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")),
                b64("DGv6ra1nlYgDCS1FRnbzlw"));

        assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(body)).isEqualTo(
                "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8w"
                        + "EqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN");
    }

    @Test
    void roundTripsThroughWebpushJavasDecryption() throws Exception {
        String text = "{\"title\":\"Zażółć gęślą jaźń – 日本語 🎉\",\"body\":\"ok\"}";

        assertThat(decryptWithHttpEce(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    }

    @Test
    void fillsTheWholeRecordAtTheLimit() throws Exception {
        byte[] plaintext = new byte[WebPushEncryption.MAX_PLAINTEXT_BYTES];
        new SecureRandom().nextBytes(plaintext);
        Subscriber ua = new Subscriber();

        byte[] body = encryption.encrypt(plaintext, ua.publicKey, ua.auth);

        assertThat(WebPushEncryption.MAX_PLAINTEXT_BYTES).isEqualTo(3993);
        assertThat(body).hasSize(4096);
        assertThat(ua.decrypt(body)).isEqualTo(plaintext);
    }

    @Test
    void usesAFreshKeyAndSaltForEveryMessage() {
        Subscriber ua = new Subscriber();
        byte[] a = encryption.encrypt(new byte[] { 1 }, ua.publicKey, ua.auth);
        byte[] b = encryption.encrypt(new byte[] { 1 }, ua.publicKey, ua.auth);

        assertThat(Arrays.copyOf(a, 86)).isNotEqualTo(Arrays.copyOf(b, 86));
    }

    @Test
    void refusesPlaintextBeyondOneRecord() {
        Subscriber ua = new Subscriber();

        assertThatThrownBy(() -> encryption.encrypt(new byte[3994], ua.publicKey, ua.auth))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("plaintext: 3994 bytes");
    }

    @Test
    void refusesAKeyThatIsNotOnTheCurve() {
        Subscriber ua = new Subscriber();
        byte[] offCurve = ua.publicKey.clone();
        offCurve[64] ^= 1;

        assertThatThrownBy(() -> encryption.encrypt(new byte[] { 1 }, offCurve, ua.auth))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("p256dh: is not a point on P-256");
        assertThatThrownBy(() -> encryption.encrypt(new byte[] { 1 }, new byte[65], ua.auth))
                .hasMessageStartingWith("p256dh: ");
        assertThatThrownBy(() -> encryption.encrypt(new byte[] { 1 }, ua.publicKey, new byte[15]))
                .hasMessageStartingWith("auth: ");
    }

    private String decryptWithHttpEce(byte[] plaintext) throws Exception {
        Subscriber ua = new Subscriber();
        byte[] body = encryption.encrypt(plaintext, ua.publicKey, ua.auth);
        return new String(ua.decrypt(body), StandardCharsets.UTF_8);
    }

    /** A browser's side, decrypting with webpush-java's HttpEce (an implementation independent of ours). */
    private static final class Subscriber {

        final KeyPair keys;
        final byte[] publicKey;
        final byte[] auth = new byte[16];

        Subscriber() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "BC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                keys = generator.generateKeyPair();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            publicKey = Utils.encode((ECPublicKey) keys.getPublic());
            new SecureRandom().nextBytes(auth);
        }

        byte[] decrypt(byte[] body) throws Exception {
            Map<String, KeyPair> keyring = new HashMap<>();
            HttpEce ece = new HttpEce(keyring, new HashMap<>());
            byte[][] header = ece.parseHeader(body);
            // In decrypt mode HttpEce agrees between the keyring entry's private key and its public key: the
            // receiver's private key with the sender's public key from the header.
            keyring.put("sender", new KeyPair(Utils.loadPublicKey(header[2]), keys.getPrivate()));
            byte[][] keyAndNonce = ece.deriveKeyAndNonce(header[0], null, "sender", (ECPublicKey) keys.getPublic(),
                    auth, Encoding.AES128GCM, Cipher.DECRYPT_MODE);
            return ece.decryptRecord(header[3], keyAndNonce[0], keyAndNonce[1], Encoding.AES128GCM);
        }
    }

    private static byte[] b64(String value) {
        return Base64.getUrlDecoder().decode(value);
    }
}
