package io.pushcore.aggregator.storage;

import java.util.Locale;

/**
 * Why events went to the dead-letter queue instead of a webhook. Its {@link #wireName()} is the
 * {@code pushcore-reason} message attribute of the dead-letter message and the {@code reason} tag of
 * {@code pushcore.aggregator.dead_lettered}; the format is in the module README ("Dead-letter messages").
 */
public enum DeadLetterReason {

    /** No route for the event's context or bucket, or the route is past its retention. */
    ROUTE_MISSING,
    /** The route object could not be read as a route, or its callback could not be opened. */
    CORRUPT_ROUTE,
    /** The callback breaks {@code CallbackLimits} (size, header syntax, secret) or cannot be sent as a request. */
    MALFORMED_WEBHOOK,
    /** The network policy refuses the webhook's host (private address, plain http in production...). */
    REFUSED_BY_POLICY,
    /** The webhook answered 410 Gone: no deliveries to it any more (a new bucket gets a new route). */
    WEBHOOK_GONE,
    /** A package still failed {@code aggregator.retry.give-up-after} after its first attempt. */
    GAVE_UP,
    /** A queue message that is not in the queue format, or whose handling failed unexpectedly. */
    POISON_MESSAGE;

    /** Lower-case name: {@code route_missing}, {@code gave_up}... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
