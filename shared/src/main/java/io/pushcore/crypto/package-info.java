/**
 * Server-side cryptography that is not tied to a provider: self-verifying message ids and envelope
 * encryption of provider credentials and webhook callbacks at rest (README "Key rotation"), each under a {@code KeyRing} whose
 * records and ids name their key, so keys rotate without downtime. Keys come in as bytes or as the configured ring
 * text ({@code KeyRing.fromConfig}); where the functions read that text from is their job.
 */
package io.pushcore.crypto;
