/**
 * Decoders that read what pushcore sends the way CORE's client SDKs do: the same field types and the same
 * non-null rules as the SDKs' model classes, written from the SDK sources (each class names the files). A payload
 * such a decoder refuses would crash that SDK or keep its notification from showing. Published in the shared
 * test-jar.
 */
package io.pushcore.testing.sdk;
