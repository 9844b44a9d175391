/**
 * Huawei Push Kit (HMS Core, server API v1) with the JDK's {@code HttpClient}: the {@code hms} credential, the
 * OAuth 2.0 client-credentials access token, the data messages the CORE Android SDK's
 * {@code HmsNotificationTranslator} parses, and the one table from Push Kit's result codes to deliveries. Huawei
 * publishes no Java server library; the wire format follows Huawei's "Sending Messages" and "Client Credentials"
 * references and its own server demos.
 */
package io.pushcore.provider.hms;
