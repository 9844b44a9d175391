/**
 * An APNs stand-in for tests (pushy's {@code MockApnsServer} with generated TLS, token and client-certificate
 * keys) and the small PKI it needs. Published in the shared test-jar.
 */
package io.pushcore.testing.apns;
