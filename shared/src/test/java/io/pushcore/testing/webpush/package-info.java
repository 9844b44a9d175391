/**
 * A browser push service stand-in for tests (shipped in the shared test-jar): it decrypts every payload with the
 * subscriber's own keys and verifies the VAPID JWT, using only JDK crypto, so it is an oracle independent of the
 * sender under test.
 */
package io.pushcore.testing.webpush;
