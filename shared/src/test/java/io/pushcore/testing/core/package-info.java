/**
 * CORE's published OpenAPI document ({@code core-openapi/openapi.json} on the test classpath, MIT, see the
 * {@code LICENSE} beside it) as a contract every REST Assured API test is checked against.
 */
package io.pushcore.testing.core;
