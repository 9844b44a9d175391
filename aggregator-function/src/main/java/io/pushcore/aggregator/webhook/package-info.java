/** Delivery of webhook packages: the CORE body, Standard Webhooks headers and the HTTP client. */
package io.pushcore.aggregator.webhook;
