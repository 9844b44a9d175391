/**
 * The CORE v1 HTTP API: resources, wire records (Bean Validation on the request side), API-key authentication
 * and the one {@link io.pushcore.send.http.ErrorMapper}. Nothing outside this package imports JAX-RS.
 */
package io.pushcore.send.http;
