/**
 * aggregator-function: drains the event queue into signed webhook packages.
 * {@link io.pushcore.aggregator.EventAggregator} is the use case, run by its parts (Drain, Routing, Packer,
 * PackageDelivery, DeadLetters and the Ledger, which decides which queue messages may be deleted); {@code trigger}
 * starts it (EventBridge schedule or the local scheduler), {@code storage} holds the queue and the routes,
 * {@code webhook} the HTTP delivery.
 */
package io.pushcore.aggregator;
