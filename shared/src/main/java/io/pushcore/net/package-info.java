/**
 * Outbound network rules shared by everything that connects to a customer-supplied URL (push endpoints,
 * webhooks, images): which destinations are allowed, so the service cannot be aimed at its own network (SSRF).
 */
package io.pushcore.net;
