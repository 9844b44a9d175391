package io.pushcore.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.security.Provider;
import java.security.Security;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pushcore.testing.webpush.FakeWebPushServer;

class BouncyCastleTest {

    @AfterEach
    void restoreOurProvider() {
        BouncyCastle.ensureRegistered();
    }

    @Test
    void replacesAStaleBcProviderFromAnotherClassLoader() throws Exception {
        // What a restarted application finds: "BC" registered by the previous application's class loader.
        URL bcprov = BouncyCastleProvider.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader oldApplication = new URLClassLoader(new URL[] { bcprov }, null)) {
            Provider stale = (Provider) oldApplication.loadClass(BouncyCastleProvider.class.getName())
                    .getConstructor().newInstance();
            Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
            Security.addProvider(stale);
            assertThat(Security.getProvider("BC").getClass()).isNotEqualTo(BouncyCastleProvider.class);

            FakeWebPushServer.VapidKeyStrings pair = FakeWebPushServer.newVapidKeys();
            VapidKeys keys = VapidKeys.parse(pair.publicKey(), pair.privateKey());

            assertThat(keys.publicKeyBase64Url()).isEqualTo(pair.publicKey());
            assertThat(Security.getProvider("BC").getClass()).isEqualTo(BouncyCastleProvider.class);
        }
    }

    @Test
    void registersBcOnceWhenAbsent() {
        Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);

        BouncyCastle.ensureRegistered();
        Provider first = Security.getProvider("BC");
        BouncyCastle.ensureRegistered();

        assertThat(first).isInstanceOf(BouncyCastleProvider.class);
        assertThat(Security.getProvider("BC")).isSameAs(first);
    }
}
