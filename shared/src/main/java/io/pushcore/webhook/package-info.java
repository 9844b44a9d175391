/**
 * Webhook conventions shared by the aggregator (which signs) and tests or customers (who verify): Standard
 * Webhooks 1.0 headers and HMAC-SHA256 signatures (SPEC §4).
 */
package io.pushcore.webhook;
