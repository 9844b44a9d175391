package io.pushcore.send.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.pushcore.net.NetworkPolicy;

/** Downloads against a real origin on 127.0.0.1; SSRF refusals under the production network policy. */
class ImageFetcherTest {

    static final long MB = 1024 * 1024;
    static final ImageFetcher.Limits LIMITS = new ImageFetcher.Limits(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(3), 5 * MB, 3);

    static FakeImageServer origin;
    static ImageFetcher development;
    static ImageFetcher production;
    /** Production rules for every host except {@code origin.test}, which stands in for a public origin here. */
    static ImageFetcher productionWithPublicOrigin;

    @BeforeAll
    static void start() throws Exception {
        origin = new FakeImageServer();
        development = new ImageFetcher(CheckedResolver.of(new NetworkPolicy(true)), LIMITS);
        production = new ImageFetcher(CheckedResolver.of(NetworkPolicy.PRODUCTION), LIMITS);
        CheckedResolver checked = CheckedResolver.of(NetworkPolicy.PRODUCTION);
        productionWithPublicOrigin = new ImageFetcher(host -> host.equals("origin.test")
                ? List.of(InetAddress.getLoopbackAddress()) : checked.resolve(host), LIMITS);
    }

    @AfterAll
    static void stop() {
        development.close();
        production.close();
        productionWithPublicOrigin.close();
        origin.close();
    }

    @Test
    void downloadsTheBodyOfAnAllowedUrl() {
        byte[] png = TestImages.png(10, 10);
        origin.serve("/plain.png", png, "image/png");

        assertThat(development.fetch(origin.url("/plain.png"))).isEqualTo(png);
    }

    @Test
    void followsUpToThreeRedirects() {
        byte[] png = TestImages.png(12, 12);
        origin.serve("/hop/final.png", png, "image/png");
        origin.redirect("/hop/3", "/hop/final.png");
        origin.redirect("/hop/2", origin.url("/hop/3"));
        origin.redirect("/hop/1", "2");

        assertThat(development.fetch(origin.url("/hop/1"))).isEqualTo(png);
    }

    @Test
    void refusesAFourthRedirect() {
        origin.serve("/loop/final.png", TestImages.png(4, 4), "image/png");
        origin.redirect("/loop/4", "/loop/final.png");
        origin.redirect("/loop/3", "/loop/4");
        origin.redirect("/loop/2", "/loop/3");
        origin.redirect("/loop/1", "/loop/2");

        assertThatThrownBy(() -> development.fetch(origin.url("/loop/1")))
                .isInstanceOf(ImageRefusedException.class).hasMessage("was redirected more than 3 times");
        assertThat(origin.hits("/loop/final.png")).isZero();
    }

    @Test
    void refusesARedirectToTheCloudMetadataAddress() {
        origin.redirect("/to-metadata.png", "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
        String url = "http://origin.test:" + origin.port() + "/to-metadata.png";

        assertThatThrownBy(() -> productionWithPublicOrigin.fetch(url)).isInstanceOf(ImageRefusedException.class)
                .hasMessage("is not allowed: host resolves to a link-local address");
        assertThat(origin.hits("/to-metadata.png")).isEqualTo(1);
    }

    @Test
    void refusesARedirectToAHostNameThatResolvesToLoopback() {
        origin.redirect("/to-localhost.png", "http://localhost:" + origin.port() + "/plain.png");
        String url = "http://origin.test:" + origin.port() + "/to-localhost.png";

        assertThatThrownBy(() -> productionWithPublicOrigin.fetch(url)).isInstanceOf(ImageRefusedException.class)
                .hasMessage("is not allowed: host resolves to a loopback address");
    }

    @Test
    void refusesAHostNameResolvingToLoopbackInProduction() {
        origin.serve("/secret.png", TestImages.png(4, 4), "image/png");

        assertThatThrownBy(() -> production.fetch("http://localhost:" + origin.port() + "/secret.png"))
                .isInstanceOf(ImageRefusedException.class)
                .hasMessage("is not allowed: host resolves to a loopback address");
        assertThat(origin.hits("/secret.png")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://10.0.0.7/a.png", "http://192.168.1.1/a.png", "http://[::1]/a.png",
            "http://[::ffff:169.254.169.254]/a.png", "http://100.64.0.1/a.png", "https://0.0.0.0/a.png" })
    void refusesPrivateAndSpecialAddressesInProduction(String url) {
        assertThatThrownBy(() -> production.fetch(url)).isInstanceOf(ImageRefusedException.class)
                .hasMessageStartingWith("is not allowed: host resolves to ");
    }

    @ParameterizedTest
    @ValueSource(strings = { "ftp://example.com/a.png", "file:///etc/passwd", "data:image/png;base64,iVBORw0KGgo=",
            "javascript:alert(1)", "gopher://127.0.0.1:6379/_INFO", "/relative/a.png" })
    void refusesEverySchemeButHttpAndHttps(String url) {
        assertThatThrownBy(() -> development.fetch(url)).isInstanceOf(ImageRefusedException.class)
                .hasMessage("must be an http or https URL");
    }

    @Test
    void refusesUrlsWithUserInfo() {
        assertThatThrownBy(() -> development.fetch("http://user:pw@127.0.0.1:" + origin.port() + "/plain.png"))
                .isInstanceOf(ImageRefusedException.class).hasMessage("must not contain user info");
    }

    @Test
    void abortsAFiftyMegabyteBodyEarlyWithoutBufferingIt() throws Exception {
        FakeImageServer.Stream stream = origin.stream("/huge.png", TestImages.png(4, 4), 50 * MB, false, false, 0);

        assertThatThrownBy(() -> development.fetch(origin.url("/huge.png"))).isInstanceOf(ImageRefusedException.class)
                .hasMessage("is larger than 5 MB");
        // The cap plus what sat in socket buffers when the connection was cut; nowhere near the 50 MB offered.
        assertThat(stream.awaitWritten()).isLessThan(20 * MB);
    }

    @Test
    void refusesADeclaredOversizeBodyBeforeReadingIt() throws Exception {
        FakeImageServer.Stream stream = origin.stream("/declared.png", TestImages.png(4, 4), 50 * MB, true, false, 0);

        assertThatThrownBy(() -> development.fetch(origin.url("/declared.png")))
                .isInstanceOf(ImageRefusedException.class).hasMessage("is larger than 5 MB");
        assertThat(stream.awaitWritten()).isLessThan(20 * MB);
    }

    @Test
    void givesUpOnAServerTricklingBytesPastTheTotalTimeout() {
        origin.stream("/trickle.png", TestImages.png(4, 4), 1 * MB, false, true, 100);

        assertThatThrownBy(() -> development.fetch(origin.url("/trickle.png")))
                .isInstanceOf(ImageRefusedException.class).hasMessage("could not be downloaded within 3000 ms");
    }

    @Test
    void cutsOffAReadThatBlocksPastTheTotalTimeout() {
        // The read timeout (10 s) alone would let this hang; the total timeout is a hard bound.
        try (ImageFetcher patient = new ImageFetcher(CheckedResolver.of(new NetworkPolicy(true)),
                new ImageFetcher.Limits(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(1), 5 * MB,
                        3))) {
            origin.stream("/stalled.png", TestImages.png(4, 4), 1 * MB, false, true, 60_000);

            assertThatThrownBy(() -> patient.fetch(origin.url("/stalled.png")))
                    .isInstanceOf(ImageRefusedException.class).hasMessage("could not be downloaded within 1000 ms");
        }
    }

    @Test
    void reportsTheStatusOfAFailedDownload() {
        origin.status("/gone.png", 410);

        assertThatThrownBy(() -> development.fetch(origin.url("/gone.png"))).isInstanceOf(ImageRefusedException.class)
                .hasMessage("could not be downloaded: the server answered HTTP 410");
    }

    @Test
    void reportsAConnectionThatCannotBeMade() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> development.fetch("http://127.0.0.1:" + closedPort + "/a.png"))
                .isInstanceOf(ImageRefusedException.class).hasMessage("could not be downloaded: the connection failed");
    }

    @Test
    void refusesAHostThatDoesNotResolve() {
        assertThatThrownBy(() -> production.fetch("https://no-such-host.invalid/a.png"))
                .isInstanceOf(ImageRefusedException.class).hasMessage("could not be downloaded: its host does not resolve");
    }
}
