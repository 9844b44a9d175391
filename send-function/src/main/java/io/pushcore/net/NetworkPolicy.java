package io.pushcore.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

// TEMPORARY stand-in for helper A's shared class; deleted when main has the real one.
public record NetworkPolicy(boolean allowPrivateAddresses) {
    public static final NetworkPolicy PRODUCTION = new NetworkPolicy(false);

    public void check(URI uri) {
        if (allowPrivateAddresses) {
            return;
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new ForbiddenDestinationException("must be https");
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
                if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
                    throw new ForbiddenDestinationException("must resolve to a public address");
                }
            }
        } catch (UnknownHostException e) {
            throw new ForbiddenDestinationException("host does not resolve");
        }
    }
}
