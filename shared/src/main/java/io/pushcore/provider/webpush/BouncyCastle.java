package io.pushcore.provider.webpush;

import java.security.Provider;
import java.security.Security;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * webpush-java's key helpers look keys up through the "BC" JCA provider, so it must be registered. The provider
 * table is JVM-wide while this class exists once per class loader: after an application restart in the same JVM
 * (Quarkus dev/test restarts, redeploys) a "BC" provider from the old loader may still be registered, and its key
 * classes are not ours. Such a stale provider is replaced.
 */
final class BouncyCastle {

    private BouncyCastle() {
    }

    static void ensureRegistered() {
        Provider registered = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (registered != null && registered.getClass() == BouncyCastleProvider.class) {
            return;
        }
        synchronized (Security.class) {
            registered = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
            if (registered != null && registered.getClass() == BouncyCastleProvider.class) {
                return;
            }
            if (registered != null) {
                Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
            }
            // Appended, not inserted first: the JDK's own providers stay the default for everything else.
            Security.addProvider(new BouncyCastleProvider());
        }
    }
}
