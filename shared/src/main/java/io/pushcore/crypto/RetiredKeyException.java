package io.pushcore.crypto;

/**
 * A sealed record names a key that is not in the ring: it was sealed before that key was retired. Unlike its parent,
 * this is not tampering or a wrong configuration: the record is simply too old for the keys this deployment holds.
 */
public final class RetiredKeyException extends CredentialCipherException {

    private final int keyId;

    public RetiredKeyException(int keyId) {
        super("sealed under key " + keyId + ", which is not in the key ring (retired)");
        this.keyId = keyId;
    }

    public int keyId() {
        return keyId;
    }
}
