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
 * @param eventsDropped events of buckets with callback {@code none} (the only events not delivered and not
 *        dead-lettered)
 * @param eventsDeadLettered events put on the dead-letter queue with their reason (route missing or corrupt, webhook
 *        malformed, refused by policy or gone, gave up, poison message)
 * @param elapsedMillis how long the run took by its own clock
 * @param budgetMillis the run's budget: it ends within it (every attempt is bounded to end before it)
 */
public record AggregationReport(int messages, int events, int packagesDelivered, int eventsDelivered,
        int packagesRetrying, int eventsDeferred, int eventsDropped, int eventsDeadLettered, long elapsedMillis,
        long budgetMillis) {
}
