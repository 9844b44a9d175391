/**
 * Webhook conventions shared by the aggregator (which signs) and tests or customers (who verify): Standard
 * Webhooks 1.0 headers and HMAC-SHA256 signatures (README "Outcomes and errors" has the webhook body and headers).
 */
package io.pushcore.webhook;
