package io.pushcore.send.support;

import java.security.Security;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Unregisters the JVM-global "BC" JCA provider before each Quarkus test application starts. shared registers
 * BouncyCastle by name once per class loader; after a restart with another test profile the old loader's provider
 * would still answer for "BC" and its key classes would not match the new application's.
 */
public class FreshBouncyCastle implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Security.removeProvider("BC");
        return Map.of();
    }

    @Override
    public void stop() {
        Security.removeProvider("BC");
    }
}
