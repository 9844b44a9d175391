package io.pushcore.crypto;

/** A sealed credential could not be opened. The message never contains key material or plaintext. */
public class CredentialCipherException extends RuntimeException {

    public CredentialCipherException(String message) {
        super(message);
    }
}
