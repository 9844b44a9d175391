package io.pushcore.provider.apns;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.pkcs.RSAPrivateKey;

/** Reads the PEM blocks customers paste into credential JSON (literal {@code \n} escapes tolerated). */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----",
            Pattern.DOTALL);

    private Pem() {
    }

    /** The DER bytes of the first block labelled {@code label}, or null when there is none or it is not base64. */
    static byte[] block(String pem, String label) {
        if (pem == null) {
            return null;
        }
        Matcher m = BLOCK.matcher(pem.replace("\\n", "\n"));
        while (m.find()) {
            if (m.group(1).equals(label)) {
                try {
                    return Base64.getMimeDecoder().decode(m.group(2).trim());
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** A PKCS#8 key of {@code algorithm}, or null when the bytes are not one. */
    static PrivateKey pkcs8(byte[] der, String algorithm) {
        if (der == null) {
            return null;
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** A PKCS#1 {@code RSA PRIVATE KEY} (what {@code openssl pkcs12 -nodes} wrote for years), or null. */
    static PrivateKey pkcs1Rsa(byte[] der) {
        if (der == null) {
            return null;
        }
        try {
            RSAPrivateKey k = RSAPrivateKey.getInstance(der);
            return KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(k.getModulus(),
                    k.getPublicExponent(), k.getPrivateExponent(), k.getPrime1(), k.getPrime2(), k.getExponent1(),
                    k.getExponent2(), k.getCoefficient()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    static X509Certificate certificate(byte[] der) {
        if (der == null) {
            return null;
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            return null;
        }
    }

    static boolean isP256(java.security.interfaces.ECKey key) {
        return key.getParams().getCurve().getField().getFieldSize() == 256
                && key.getParams().getOrder().equals(new BigInteger(
                        "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16));
    }
}
