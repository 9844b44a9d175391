/**
 * Apple Push Notification service through pushy: credential parsing ({@code apns_token}, {@code apns_cert}), the
 * payload the CORE iOS SDK parses, and the one table that maps APNs answers to deliveries.
 */
package io.pushcore.provider.apns;
