package io.pushcore.model;

import java.util.Objects;

/**
 * One receiver of a send: which of the bucket's credentials to use, the customer's own id for the subscriber
 * (echoed in events), and the address.
 */
public record Receiver(String credentialId, String foreignId, Address address) {

    public Receiver {
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(address, "address");
    }
}
