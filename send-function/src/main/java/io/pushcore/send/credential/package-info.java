/**
 * A bucket's provider credentials in one shape: {@link io.pushcore.send.credential.CredentialParser} parses each
 * {@code providerCredentials[]} entry once, when the bucket is created or read back from S3, into a
 * {@link io.pushcore.send.credential.Credential} holding the parsed provider credential and the plaintext sealed
 * at rest. Senders and providers only ever see the parsed form.
 */
package io.pushcore.send.credential;
