/**
 * The benchmark behind {@code ./mvnw -B -Pbench -DskipTests verify}: web push receivers/s through the local API, and
 * JMH per-core rates of webpush-java's per-message path and of our encryption. It prints numbers, asserts nothing.
 */
package io.pushcore.bench;
