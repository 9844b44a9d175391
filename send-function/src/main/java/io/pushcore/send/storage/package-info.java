/**
 * Where buckets and contexts live: {@link io.pushcore.send.storage.StateStore} and its S3 implementation. Stored
 * credential payloads and callback configs are already sealed when they get here; this package never sees them
 * in plaintext.
 */
package io.pushcore.send.storage;
