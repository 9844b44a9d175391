/**
 * Where buckets, contexts and routing records live ({@link io.pushcore.send.storage.StateStore} on S3), and where
 * send outcomes go ({@link io.pushcore.send.storage.EventQueue} on SQS). Stored
 * credential payloads and callback configs are already sealed when they get here; this package never sees them
 * in plaintext.
 */
package io.pushcore.send.storage;
