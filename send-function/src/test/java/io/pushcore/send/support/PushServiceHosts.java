package io.pushcore.send.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Resolves the hosts of the real browser push services to loopback in this test JVM (registered in
 * {@code META-INF/services}), so that a {@code FakeWebPushServer} subscriber at {@code fcm.googleapis.com},
 * {@code updates.push.services.mozilla.com}, {@code web.push.apple.com} or {@link #EDGE} is reached locally while
 * send-function sees the endpoint a browser of that kind would hand out. Every other name goes to the JDK's own
 * resolver.
 */
public final class PushServiceHosts extends InetAddressResolverProvider {

    public static final String CHROME = "fcm.googleapis.com";
    public static final String EDGE = "wns2-by3p.notify.windows.com";
    public static final String FIREFOX = "updates.push.services.mozilla.com";
    public static final String SAFARI = "web.push.apple.com";

    private static final Set<String> LOCAL = Set.of(CHROME, EDGE, FIREFOX, SAFARI);

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (LOCAL.contains(host)) {
                    return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "pushcore-test-push-service-hosts";
    }
}
