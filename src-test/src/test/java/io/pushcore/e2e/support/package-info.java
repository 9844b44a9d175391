/** Where the system under test runs (local runner or a deployed stage) and a small JSON client for its API. */
package io.pushcore.e2e.support;
