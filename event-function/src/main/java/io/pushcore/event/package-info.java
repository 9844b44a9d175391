/**
 * event-function: unauthenticated intake of client events ({@code delivered}, {@code clicked}, {@code closed}),
 * verified by the message id's MAC and put on the event queue. {@link io.pushcore.event.EventCollector} is the use
 * case; {@code http} is the API, {@code storage} the queue, {@code config} the wiring.
 */
package io.pushcore.event;
