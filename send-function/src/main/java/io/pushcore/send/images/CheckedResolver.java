package io.pushcore.send.images;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

import io.pushcore.net.ForbiddenDestinationException;
import io.pushcore.net.NetworkPolicy;

/**
 * Resolves a host once and returns only addresses the fetcher may connect to; the connection is then made to exactly
 * these (no second lookup an attacker's DNS could answer differently).
 */
@FunctionalInterface
public interface CheckedResolver {

    /** @throws ForbiddenDestinationException when the host does not resolve or resolves to a refused address */
    List<InetAddress> resolve(String host);

    /**
     * The policy's address rules for any host. Images may come over plain http even in production: nothing secret is
     * sent and the bytes are re-encoded, so only the destination check applies (the policy's scheme rule is for
     * endpoints that receive data).
     */
    static CheckedResolver of(NetworkPolicy policy) {
        return host -> {
            String literal = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
            URI uri;
            try {
                uri = URI.create("https://" + literal + "/");
            } catch (IllegalArgumentException e) {
                throw new ForbiddenDestinationException("URL has an invalid host");
            }
            return policy.resolveChecked(uri);
        };
    }
}
