/**
 * What the aggregator needs to route events to a webhook during the retention window: context to bucket, bucket
 * to sealed callback (within {@link io.pushcore.route.CallbackLimits}). send-function writes these records;
 * aggregator-function reads them and marks a bucket's webhook disabled after a 410.
 *
 * <p>
 * S3 objects in the state bucket (UTF-8 JSON, instants ISO-8601):
 *
 * <pre>
 * routes/contexts/&lt;contextId&gt;.json  {"contextId":UUID,"bucketId":UUID,"retainUntil":INSTANT}
 * routes/buckets/&lt;bucketId&gt;.json    {"bucketId":UUID,"sealedCallback":BASE64,"retainUntil":INSTANT,
 *                                    "disabledAt":INSTANT?}
 * </pre>
 *
 * {@code sealedCallback} is base64 of {@code CredentialCipher.seal(plaintext, "<bucketId>:callback")} under the
 * webhook key ring (send-function's {@code send.security.webhook-keys}, aggregator-function's
 * {@code aggregator.security.webhook-keys}; never the credential keys) where the plaintext is
 * {@code {"type":"none"}} or {@code {"type":"http","url":URL,"headers":{NAME:VALUE},"secret":STR?}}: the headers
 * and the secret are customer secrets ({@link io.pushcore.route.RouteCodec#sealCallback} writes it, also for the
 * bucket document send-function stores, whose value the route copies). {@code retainUntil} is when the record
 * stops being used: when send-function wrote it plus the retention ({@code send.events.retention}, 7 days by
 * default). The state bucket's S3 lifecycle counts the same retention from each object's creation, so it never
 * removes a record before its {@code retainUntil}; the retention is longer than a bucket's lifetime, so a route
 * outlives its bucket or context by at least the difference (6 days by default). Readers treat a record past
 * {@code retainUntil} as absent and delete it; the lifecycle removes whatever nobody reads.
 */
package io.pushcore.route;
