/** An FCM HTTP v1 stand-in with a Google OAuth token endpoint, for tests. Published in the shared test-jar. */
package io.pushcore.testing.fcm;
