package io.pushcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkPolicyTest {

    private static final NetworkPolicy DEVELOPMENT = new NetworkPolicy(true);

    @ParameterizedTest
    @CsvSource({
            "https://127.0.0.1/push, a loopback address",
            "https://127.9.9.9/push, a loopback address",
            "https://localhost/push, a loopback address",
            "https://10.1.2.3/push, a private address",
            "https://172.16.0.1/push, a private address",
            "https://172.31.255.255/push, a private address",
            "https://192.168.1.1/push, a private address",
            "https://169.254.169.254/latest/meta-data, a link-local address",
            "https://100.64.0.1/push, a carrier-grade NAT address",
            "https://100.127.255.254/push, a carrier-grade NAT address",
            "https://0.0.0.0/push, an unspecified address",
            "https://224.0.0.1/push, a multicast address",
            "https://255.255.255.255/push, a reserved address",
            "'https://[::1]/push', a loopback address",
            "'https://[::]/push', an unspecified address",
            "'https://[fe80::1]/push', a link-local address",
            "'https://[fc00::1]/push', a unique-local address",
            "'https://[fd12:3456::1]/push', a unique-local address",
            "'https://[ff02::1]/push', a multicast address",
            "'https://[::ffff:127.0.0.1]/push', a loopback address",
            "'https://[::ffff:169.254.169.254]/push', a link-local address",
            "'https://[::ffff:a00:1]/push', a private address",
            "'https://[::10.0.0.1]/push', a private address",
            "'https://[64:ff9b::a9fe:a9fe]/push', a link-local address",
            "'https://[2002:c0a8:0101::1]/push', a private address",
    })
    void refusesNonPublicAddressesInProduction(String url, String why) {
        assertThatThrownBy(() -> NetworkPolicy.PRODUCTION.check(URI.create(url)))
                .isInstanceOf(ForbiddenDestinationException.class)
                .hasMessage("host resolves to " + why);
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://8.8.8.8/push", "https://172.32.0.1/x", "https://100.128.0.1/x",
            "https://[2001:4860:4860::8888]/push", "https://[2607:f8b0::1]:8443/x" })
    void allowsPublicAddressesOverHttps(String url) {
        assertThat(NetworkPolicy.PRODUCTION.resolveChecked(URI.create(url))).isNotEmpty();
    }

    @Test
    void refusesPlainHttpInProduction() {
        assertThatThrownBy(() -> NetworkPolicy.PRODUCTION.check(URI.create("http://8.8.8.8/push")))
                .isInstanceOf(ForbiddenDestinationException.class)
                .hasMessage("URL must use https");
    }

    @Test
    void refusesOtherSchemesEvenInDevelopment() {
        assertThatThrownBy(() -> DEVELOPMENT.check(URI.create("file:///etc/passwd")))
                .isInstanceOf(ForbiddenDestinationException.class);
        assertThatThrownBy(() -> DEVELOPMENT.check(URI.create("ftp://127.0.0.1/x")))
                .isInstanceOf(ForbiddenDestinationException.class)
                .hasMessage("URL must use http or https");
    }

    @Test
    void refusesUserInfo() {
        assertThatThrownBy(() -> NetworkPolicy.PRODUCTION.check(URI.create("https://user:pw@8.8.8.8/push")))
                .isInstanceOf(ForbiddenDestinationException.class)
                .hasMessage("URL must not contain user info");
    }

    @Test
    void refusesUnresolvableHosts() {
        assertThatThrownBy(() -> NetworkPolicy.PRODUCTION.check(URI.create("https://no-such-host.invalid/push")))
                .isInstanceOf(UnresolvedHostException.class)
                .hasMessage("host does not resolve");
    }

    @Test
    void allowsLoopbackAndPlainHttpInDevelopment() {
        assertThatCode(() -> DEVELOPMENT.check(URI.create("http://127.0.0.1:8080/push/1"))).doesNotThrowAnyException();
        assertThatCode(() -> DEVELOPMENT.check(URI.create("http://localhost/push"))).doesNotThrowAnyException();
    }

    @Test
    void returnsTheAddressesItChecked() {
        assertThat(DEVELOPMENT.resolveChecked(URI.create("http://127.0.0.1/x")))
                .extracting(a -> a.getHostAddress()).containsExactly("127.0.0.1");
    }
}
