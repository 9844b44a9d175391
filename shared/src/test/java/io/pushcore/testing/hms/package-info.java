/** A Huawei Push Kit stand-in with its OAuth 2.0 token endpoint, for tests. Published in the shared test-jar. */
package io.pushcore.testing.hms;
