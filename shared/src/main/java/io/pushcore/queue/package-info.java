/**
 * The event queue's message format, shared by its producers (send-function, event-function) and its consumer
 * (aggregator-function), plus packing into SQS batches. Plain Java: the SQS calls stay in the functions.
 *
 * <p>
 * Every message body is one UTF-8 JSON object with {@code "v":1} and a {@code type}:
 *
 * <pre>
 * {"v":1,"type":"events","events":[EVENT, ...]}                      written by producers
 * {"v":1,"type":"events","enqueuedAt":MS,"events":[EVENT, ...]}      re-enqueued by the aggregator (age kept)
 * {"v":1,"type":"package","webhookId":"pkg_...","bucketId":UUID,"attempts":N,
 *  "firstAttemptAt":MS,"notBefore":MS,"events":[EVENT, ...]}         a webhook package awaiting its retry
 *
 * EVENT = {"messageId":UUID,"contextId":UUID,"bucketId":UUID?,"foreignId":STR?,
 *          "kind":"sent|unregistered|failed|delivered|clicked|closed","action":STR?,"reason":STR?,"ts":MS}
 * </pre>
 *
 * MS is epoch milliseconds; fields marked {@code ?} are omitted when null. {@code bucketId} is set by
 * send-function and absent on client events (the aggregator routes those by context). One message carries up to
 * {@link io.pushcore.queue.QueueBatches#DEFAULT_BUDGET_BYTES} bytes (about 1,000 events); unknown fields are
 * ignored by readers.
 */
package io.pushcore.queue;
