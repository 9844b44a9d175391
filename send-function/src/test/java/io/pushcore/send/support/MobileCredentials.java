package io.pushcore.send.support;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.testing.apns.FakeApnsServer;
import io.pushcore.testing.apns.TestPki;

/** {@code providerCredentials[]} entries for the local APNs, FCM and Push Kit of {@link ProviderFakes}. */
public final class MobileCredentials {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private MobileCredentials() {
    }

    /** An apns_token credential with the key the fake APNs trusts, for the app and the website. */
    public static Map<String, Object> apnsToken() {
        return apnsToken(ProviderFakes.apns().signingKeyPem());
    }

    /** An apns_token credential with a well-formed key APNs does not know (InvalidProviderToken). */
    public static Map<String, Object> apnsTokenUnknownToApns() {
        return apnsToken(TestPki.pem(TestPki.ecP256().getPrivate()));
    }

    public static Map<String, Object> apnsToken(String p8) {
        return Map.of("type", "apns_token", "payload", apnsTokenPayload(p8));
    }

    /** The payload fields; mutable so tests can break one. */
    public static Map<String, Object> apnsTokenPayload(String p8) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("teamId", FakeApnsServer.TEAM_ID);
        payload.put("keyId", FakeApnsServer.KEY_ID);
        payload.put("key", p8);
        payload.put("production", false);
        payload.put("appBundleId", ProviderFakes.APP_BUNDLE_ID);
        payload.put("websitePushId", ProviderFakes.WEBSITE_PUSH_ID);
        return payload;
    }

    /** An fcm_v1 credential: a service account of the fake FCM for {@code project}, as a JSON object. */
    public static Map<String, Object> fcm(String project) {
        return Map.of("type", "fcm_v1", "payload", serviceAccount(project));
    }

    public static Map<String, Object> serviceAccount(String project) {
        try {
            return JSON.readValue(ProviderFakes.fcm().serviceAccountJson(project), new TypeReference<>() {
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An hms credential of a newly registered app of the local Push Kit; mutable so tests can break a field. */
    public static Map<String, Object> hms(String appId) {
        return Map.of("type", "hms", "payload", ProviderFakes.hms().credential(appId));
    }

    /** A well-formed APNs device token (64 hex characters). */
    public static String apnsDeviceToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
