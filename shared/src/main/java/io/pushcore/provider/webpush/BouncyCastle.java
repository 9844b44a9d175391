package io.pushcore.provider.webpush;

import java.security.Security;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** webpush-java's key helpers look keys up through the "BC" JCA provider, so it must be registered once. */
final class BouncyCastle {

    static {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            // Appended, not inserted first: the JDK's own providers stay the default for everything else.
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    private BouncyCastle() {
    }

    static void ensureRegistered() {
        // Loading the class runs the static initialiser exactly once.
    }
}
