package io.pushcore.net;

/**
 * The host of a URL did not resolve. Refused like any forbidden destination, but DNS failures can be passing, so a
 * sender may treat this one as worth retrying.
 */
public final class UnresolvedHostException extends ForbiddenDestinationException {

    public UnresolvedHostException() {
        super("host does not resolve");
    }
}
