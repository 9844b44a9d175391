package io.pushcore.provider.webpush;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

import nl.martijndwars.webpush.Utils;

/**
 * A validated VAPID key pair (RFC 8292): a P-256 public point and its private scalar, as the JDK's own key types.
 * {@link #toString()} shows only the public key.
 */
public record VapidKeys(ECPublicKey publicKey, ECPrivateKey privateKey) {

    static final ECParameterSpec P256 = p256();

    /**
     * Parses the base64url strings {@code web-push generate-vapid-keys} prints (padding optional): the 65-byte
     * uncompressed public point and the 32-byte private scalar, and checks that they belong together.
     *
     * @throws IllegalArgumentException whose message starts with {@code publicKey:} or {@code privateKey:}
     */
    public static VapidKeys parse(String publicKey, String privateKey) {
        byte[] pub = decode("publicKey", publicKey);
        if (pub.length != 65 || pub[0] != 0x04) {
            throw new IllegalArgumentException("publicKey: must be an uncompressed P-256 point (65 bytes)");
        }
        byte[] priv = decode("privateKey", privateKey);
        if (priv.length != 32) {
            throw new IllegalArgumentException("privateKey: must be a 32-byte P-256 scalar");
        }
        BigInteger d = new BigInteger(1, priv);
        Arrays.fill(priv, (byte) 0);
        if (d.signum() == 0 || d.compareTo(P256.getOrder()) >= 0) {
            throw new IllegalArgumentException("privateKey: is not a valid P-256 scalar");
        }
        BouncyCastle.ensureRegistered();
        PublicKey bcPublic;
        try {
            bcPublic = Utils.loadPublicKey(pub);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("publicKey: is not a point on P-256");
        }
        try {
            if (!Utils.verifyKeyPair(Utils.loadPrivateKey(d.toByteArray()), bcPublic)) {
                throw new IllegalArgumentException("privateKey: does not match publicKey");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("privateKey: is not a valid P-256 scalar");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(pub, 1, 33)),
                    new BigInteger(1, Arrays.copyOfRange(pub, 33, 65)));
            return new VapidKeys((ECPublicKey) factory.generatePublic(new ECPublicKeySpec(w, P256)),
                    (ECPrivateKey) factory.generatePrivate(new ECPrivateKeySpec(d, P256)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's EC key factory is not available", e);
        }
    }

    /** The 65-byte uncompressed public point. */
    public byte[] publicKeyBytes() {
        byte[] out = new byte[65];
        out[0] = 0x04;
        put(publicKey.getW().getAffineX(), out, 1);
        put(publicKey.getW().getAffineY(), out, 33);
        return out;
    }

    /** The public key as browsers want it for {@code applicationServerKey} and the {@code k=} parameter. */
    public String publicKeyBase64Url() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(publicKeyBytes());
    }

    @Override
    public String toString() {
        return "VapidKeys[publicKey=" + publicKeyBase64Url() + "]";
    }

    static void put(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, offset + 32 - length, length);
    }

    private static byte[] decode(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": is required");
        }
        String b64 = value.strip().replace('+', '-').replace('/', '_');
        int pad = b64.indexOf('=');
        try {
            return Base64.getUrlDecoder().decode(pad < 0 ? b64 : b64.substring(0, pad));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": is not base64url");
        }
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
