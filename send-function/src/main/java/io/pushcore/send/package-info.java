/**
 * send-function: buckets of provider credentials, contexts (what a message says) and sends to up to 1000
 * receivers per request. {@link io.pushcore.send.MessageDispatcher} is the use case; {@code http} is the CORE v1
 * wire API, {@code storage} keeps buckets and contexts in S3, {@code config} wires shared's objects.
 */
package io.pushcore.send;
