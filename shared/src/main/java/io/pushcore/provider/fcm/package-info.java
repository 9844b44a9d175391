/**
 * Firebase Cloud Messaging HTTP v1 through firebase-admin: the service-account credential ({@code fcm_v1}), the
 * {@code _ppg}/{@code _silent} data messages the CORE Android SDK parses, and the one table that maps FCM errors
 * to deliveries.
 */
package io.pushcore.provider.fcm;
