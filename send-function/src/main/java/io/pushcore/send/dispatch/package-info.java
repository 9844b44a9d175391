/**
 * How {@link io.pushcore.send.MessageDispatcher} hands receivers to providers: web push one receiver at a time
 * ({@code WebPushSender}), APNs, FCM and Push Kit all receivers of a credential together through one
 * {@code GroupSender} ({@code GroupSenders} holds what differs), the warm providers per credential, retries within
 * the request's time budget ({@code Attempts}), and the SmallRye Fault Tolerance pieces around each call (a circuit
 * breaker per APNs/FCM/Push Kit credential, a bulkhead per provider). Outcomes travel as {@code Delivery} values;
 * exceptions are failures.
 */
package io.pushcore.send.dispatch;
