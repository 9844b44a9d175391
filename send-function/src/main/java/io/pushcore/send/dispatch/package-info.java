/**
 * How {@link io.pushcore.send.MessageDispatcher} hands receivers to providers: one small sender per provider,
 * the warm providers per credential, and the SmallRye Fault Tolerance pieces around each attempt (retry within the
 * request's time budget, a circuit breaker per APNs/FCM credential, a bulkhead per provider).
 */
package io.pushcore.send.dispatch;
