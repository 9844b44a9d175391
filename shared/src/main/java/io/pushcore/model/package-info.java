/**
 * What a push is: receivers, context content and the message handed to a provider. Records only, valid once
 * built, no I/O. The HTTP wire records live in each function's {@code http} package, not here.
 */
package io.pushcore.model;
