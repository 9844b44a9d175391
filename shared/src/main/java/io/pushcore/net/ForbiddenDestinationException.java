package io.pushcore.net;

/** A URL points somewhere the {@link NetworkPolicy} does not allow; the message says why and is safe to return. */
public class ForbiddenDestinationException extends RuntimeException {

    public ForbiddenDestinationException(String message) {
        super(message);
    }
}
