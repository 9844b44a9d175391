/**
 * Web Push (RFC 8030) for browsers: VAPID keys and tokens (RFC 8292), aes128gcm payload encryption (RFC 8291),
 * the CORE service-worker payload, and the provider that sends it over pooled HTTP clients.
 */
package io.pushcore.provider.webpush;
