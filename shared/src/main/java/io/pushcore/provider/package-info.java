/**
 * How a push is handed to Apple, Google or a browser's push service. One sub-package per service, all the same
 * shape: a {@code *Provider} that turns a {@link io.pushcore.model.Push} into the service's request and its
 * answer into a {@link io.pushcore.provider.Delivery}. Retrying is the caller's job; a provider tries once.
 */
package io.pushcore.provider;
