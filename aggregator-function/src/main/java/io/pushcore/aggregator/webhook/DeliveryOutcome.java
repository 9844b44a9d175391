package io.pushcore.aggregator.webhook;

import java.time.Duration;
import java.util.Optional;

/** How one delivery attempt of a package ended. */
public sealed interface DeliveryOutcome {

    /** A 2xx: the package is delivered. */
    record Delivered(int status) implements DeliveryOutcome {
    }

    /** 410 Gone: the customer wants no more deliveries to this webhook (Standard Webhooks: disable it). */
    record Gone() implements DeliveryOutcome {
    }

    /** The network policy refuses the URL's host (SSRF rules); retrying cannot help. */
    record Forbidden(String reason) implements DeliveryOutcome {
    }

    /** The URL cannot be requested or the secret cannot sign; retrying cannot help. */
    record Malformed(String reason) implements DeliveryOutcome {
    }

    /** Timeout, connection failure, or any other status: retry later, not before {@code retryAfter} if given. */
    record Failed(String reason, Optional<Duration> retryAfter) implements DeliveryOutcome {
    }
}
