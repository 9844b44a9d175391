package io.pushcore.send.support;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Real P-256 key material in the base64url forms browsers and web-push tools hand out. */
public final class Keys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    /** A VAPID key pair: {@code [publicKey (65-byte point), privateKey (32-byte scalar)]}. */
    public static String[] vapid() {
        KeyPair pair = p256();
        return new String[] { b64(point((ECPublicKey) pair.getPublic())),
                b64(fixed(((ECPrivateKey) pair.getPrivate()).getS())) };
    }

    /** A browser subscription's {@code p256dh} (public point only) and {@code auth} secret. */
    public static String[] subscriber() {
        byte[] auth = new byte[16];
        RANDOM.nextBytes(auth);
        return new String[] { b64(point((ECPublicKey) p256().getPublic())), b64(auth) };
    }

    private static KeyPair p256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] point(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        System.arraycopy(fixed(key.getW().getAffineX()), 0, out, 1, 32);
        System.arraycopy(fixed(key.getW().getAffineY()), 0, out, 33, 32);
        return out;
    }

    private static byte[] fixed(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(32, raw.length);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
