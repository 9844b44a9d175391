/**
 * What the aggregator needs to route events to a webhook during the retention window: context to bucket, bucket
 * to sealed callback. send-function writes these records; aggregator-function reads them and marks a bucket's
 * webhook disabled after a 410.
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
 * {@code sealedCallback} is base64 of {@code CredentialCipher.seal(plaintext, "<bucketId>:callback")} (the
 * credential key is shared by send-function and aggregator-function) where the plaintext is
 * {@code {"type":"none"}} or {@code {"type":"http","url":URL,"headers":{NAME:VALUE},"secret":STR?}}: the headers
 * and the secret are customer secrets ({@link io.pushcore.route.RouteCodec#sealCallback} writes it, also for the
 * bucket document send-function stores, whose value the route copies). {@code retainUntil} is when the record
 * stops being used: its owner's end (the bucket's or context's {@code expiresAt}) plus the retention, 7 days by
 * default. Readers treat a record past it as absent and delete it; an S3 lifecycle rule on the state bucket removes
 * whatever nobody reads.
 */
package io.pushcore.route;
