/**
 * What a push is: receivers, context content and the message handed to a provider, and the rules a context must
 * meet for every CORE SDK to show it ({@link io.pushcore.model.DisplayRules}). Records and pure functions, valid
 * once built, no I/O. The HTTP wire records live in each function's {@code http} package, not here.
 */
package io.pushcore.model;
