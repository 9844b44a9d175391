package io.pushcore.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

// TEMPORARY stand-in for helper A's shared class; deleted when main has the real one.
public final class MessageIds {
    private final byte[] key;
    private final SecureRandom random = new SecureRandom();

    public MessageIds(byte[] key) {
        this.key = key.clone();
    }

    public UUID mint(UUID contextId) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        byte[] mac = mac(Arrays.copyOf(b, 8), contextId);
        System.arraycopy(mac, 0, b, 8, 8);
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new UUID(bb.getLong(), bb.getLong());
    }

    public boolean verify(UUID messageId, UUID contextId) {
        ByteBuffer bb = ByteBuffer.allocate(16).putLong(messageId.getMostSignificantBits())
                .putLong(messageId.getLeastSignificantBits());
        byte[] b = bb.array();
        return Arrays.equals(Arrays.copyOf(mac(Arrays.copyOf(b, 8), contextId), 8), Arrays.copyOfRange(b, 8, 16));
    }

    private byte[] mac(byte[] nonce, UUID contextId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(nonce);
            mac.update(contextId.toString().getBytes());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
