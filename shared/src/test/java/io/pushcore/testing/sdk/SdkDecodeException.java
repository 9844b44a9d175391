package io.pushcore.testing.sdk;

/** What pushcore sent would make a CORE SDK fail: the message says which field and how. */
public final class SdkDecodeException extends IllegalArgumentException {

    public SdkDecodeException(String message) {
        super(message);
    }
}
