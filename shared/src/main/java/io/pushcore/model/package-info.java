/**
 * What a push is (receivers, context content, the message handed to a provider) and what happens to it
 * afterwards ({@link io.pushcore.model.Event}, {@link io.pushcore.model.EventKind}). Records only, valid once
 * built, no I/O. The HTTP wire records live in each function's {@code http} package, not here.
 */
package io.pushcore.model;
