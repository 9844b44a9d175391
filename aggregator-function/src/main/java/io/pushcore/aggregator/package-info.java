/**
 * aggregator-function: drains the event queue into signed webhook packages.
 * {@link io.pushcore.aggregator.EventAggregator} is the use case; {@code trigger} starts it (EventBridge schedule
 * or the local scheduler), {@code storage} holds the queue and the routes, {@code webhook} the delivery.
 */
package io.pushcore.aggregator;
