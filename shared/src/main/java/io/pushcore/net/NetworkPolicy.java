package io.pushcore.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where outbound requests to customer-supplied URLs may go. In production ({@link #PRODUCTION}) only https to
 * hosts whose every resolved address is public is allowed: loopback, private (RFC 1918), carrier-grade NAT,
 * link-local (including the cloud metadata address 169.254.169.254), unique-local, multicast, unspecified and
 * reserved addresses are refused, also when written as IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6
 * addresses. With {@code allowPrivateAddresses} (local runs and tests) plain http and any resolvable host are allowed.
 *
 * <p>
 * The check resolves the host itself; a client that resolves again may, in theory, get another answer (DNS
 * rebinding). Callers that can connect to an address use {@link #resolveChecked(URI)} and connect to what it
 * returns.
 */
public record NetworkPolicy(boolean allowPrivateAddresses) {

    public static final NetworkPolicy PRODUCTION = new NetworkPolicy(false);

    /** @throws ForbiddenDestinationException when the URL may not be contacted */
    public void check(URI uri) {
        resolveChecked(uri);
    }

    /**
     * Checks {@code uri} and returns the addresses its host resolved to, all of them allowed. With private
     * addresses allowed the host is still resolved, and an unresolvable host is refused.
     *
     * @throws ForbiddenDestinationException when the URL may not be contacted ({@link UnresolvedHostException}
     *         when its host does not resolve)
     */
    public List<InetAddress> resolveChecked(URI uri) {
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            throw new ForbiddenDestinationException("URL must be absolute with a host");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowPrivateAddresses && scheme.equals("http"))) {
            throw new ForbiddenDestinationException(allowPrivateAddresses ? "URL must use http or https"
                    : "URL must use https");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ForbiddenDestinationException("URL must not contain user info");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new UnresolvedHostException();
        }
        if (!allowPrivateAddresses) {
            for (InetAddress address : addresses) {
                String why = refusal(address);
                if (why != null) {
                    throw new ForbiddenDestinationException("host resolves to " + why);
                }
            }
        }
        return List.of(addresses);
    }

    /** Why an address is not public, or null when it is. */
    static String refusal(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] embedded = embeddedIpv4(address.getAddress());
            if (embedded != null) {
                return refusalV4(embedded);
            }
            return refusalV6(address);
        }
        return refusalV4(address.getAddress());
    }

    private static String refusalV4(byte[] a) {
        int b0 = a[0] & 0xFF;
        int b1 = a[1] & 0xFF;
        if (b0 == 0) {
            return "an unspecified address";
        }
        if (b0 == 127) {
            return "a loopback address";
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xF0) == 16) || (b0 == 192 && b1 == 168)) {
            return "a private address";
        }
        if (b0 == 100 && (b1 & 0xC0) == 64) {
            return "a carrier-grade NAT address";
        }
        if (b0 == 169 && b1 == 254) {
            return "a link-local address";
        }
        if (b0 == 192 && b1 == 0 && (a[2] & 0xFF) == 0) {
            return "a protocol-assignment address";
        }
        if (b0 == 198 && (b1 & 0xFE) == 18) {
            return "a benchmarking address";
        }
        if (b0 >= 224) {
            return b0 < 240 ? "a multicast address" : "a reserved address";
        }
        return null;
    }

    private static String refusalV6(InetAddress address) {
        byte[] a = address.getAddress();
        if (address.isAnyLocalAddress()) {
            return "an unspecified address";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if ((a[0] & 0xFF) == 0xFF) {
            return "a multicast address";
        }
        if ((a[0] & 0xFE) == 0xFC) {
            return "a unique-local address";
        }
        if ((a[0] & 0xFF) == 0xFE && (a[1] & 0xC0) == 0x80) {
            return "a link-local address";
        }
        if ((a[0] & 0xFF) == 0xFE && (a[1] & 0xC0) == 0xC0) {
            return "a site-local address";
        }
        return null;
    }

    /** The IPv4 address carried by an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 address. */
    private static byte[] embeddedIpv4(byte[] a) {
        boolean zeroPrefix = allZero(a, 0, 10);
        if (zeroPrefix && (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        if (zeroPrefix && a[10] == 0 && a[11] == 0 && !allZero(a, 12, 15)) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        if ((a[0] & 0xFF) == 0x00 && (a[1] & 0xFF) == 0x64 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B
                && allZero(a, 4, 12)) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        if ((a[0] & 0xFF) == 0x20 && (a[1] & 0xFF) == 0x02) {
            return Arrays.copyOfRange(a, 2, 6);
        }
        return null;
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
