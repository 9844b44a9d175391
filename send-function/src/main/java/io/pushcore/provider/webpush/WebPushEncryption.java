package io.pushcore.provider.webpush;

// TEMPORARY stand-in for helper A's shared class; deleted when main has the real one.
public final class WebPushEncryption {
    public static final int MAX_PLAINTEXT_BYTES = 3993;
}
