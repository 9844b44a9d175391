package io.pushcore.net;

// TEMPORARY stand-in for helper A's shared class; deleted when main has the real one.
public class ForbiddenDestinationException extends RuntimeException {
    public ForbiddenDestinationException(String message) {
        super(message);
    }
}
