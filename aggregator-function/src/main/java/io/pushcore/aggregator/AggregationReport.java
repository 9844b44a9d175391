package io.pushcore.aggregator;

/**
 * What one aggregator run did; the Lambda returns it, so it shows in the invocation result.
 *
 * @param messages queue messages received
 * @param events events in them
 * @param packagesDelivered packages a webhook accepted (2xx)
 * @param eventsDelivered events in those packages
 * @param packagesRetrying packages put back on the queue for a later attempt
 * @param eventsDeferred events not yet due, left on the queue until their package is
 * @param eventsDropped events with no webhook (callback none, disabled, unroutable, forbidden URL)
 * @param eventsDeadLettered events whose package gave up and went to the dead-letter queue
 */
public record AggregationReport(int messages, int events, int packagesDelivered, int eventsDelivered,
        int packagesRetrying, int eventsDeferred, int eventsDropped, int eventsDeadLettered) {
}
