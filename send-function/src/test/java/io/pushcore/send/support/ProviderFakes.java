package io.pushcore.send.support;

import java.util.Map;

import io.pushcore.testing.apns.FakeApnsServer;
import io.pushcore.testing.apns.TestPki;
import io.pushcore.testing.fcm.FakeFcmServer;
import io.pushcore.testing.hms.FakeHmsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A local APNs (pushy's mock server, TLS with a generated CA), a local FCM endpoint and a local Push Kit for the
 * application under test; APNs and FCM are pointed to by {@code send.providers.*}, Push Kit by the URLs of each
 * {@code hms} credential ({@link MobileCredentials#hms}). Tests reach them through {@link #apns()}, {@link #fcm()}
 * and {@link #hms()}.
 */
public class ProviderFakes implements QuarkusTestResourceLifecycleManager {

    public static final String APP_BUNDLE_ID = "com.example.app";
    public static final String WEBSITE_PUSH_ID = "web.com.example";

    private static volatile FakeApnsServer apns;
    private static volatile FakeFcmServer fcm;
    private static volatile FakeHmsServer hms;

    @Override
    public Map<String, String> start() {
        apns = FakeApnsServer.start(APP_BUNDLE_ID, WEBSITE_PUSH_ID);
        fcm = FakeFcmServer.start();
        hms = FakeHmsServer.start();
        return Map.of(
                "send.providers.apns.host", "localhost",
                "send.providers.apns.port", String.valueOf(apns.port()),
                "send.providers.apns.trusted-certificates", TestPki.pem(apns.certificateAuthority()),
                "send.providers.fcm.base-url", fcm.baseUrl().toString());
    }

    @Override
    public void stop() {
        if (hms != null) {
            hms.close();
        }
        if (fcm != null) {
            fcm.close();
        }
        if (apns != null) {
            apns.close();
        }
    }

    public static FakeApnsServer apns() {
        return apns;
    }

    public static FakeFcmServer fcm() {
        return fcm;
    }

    public static FakeHmsServer hms() {
        return hms;
    }
}
