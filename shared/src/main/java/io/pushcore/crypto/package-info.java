/**
 * Server-side cryptography that is not tied to a provider: self-verifying message ids (SPEC §4) and envelope
 * encryption of provider credentials at rest (SPEC §5). Keys come in as bytes; reading them from configuration or
 * KMS is the functions' job.
 */
package io.pushcore.crypto;
