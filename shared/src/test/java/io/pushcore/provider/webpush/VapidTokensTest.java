package io.pushcore.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pushcore.testing.webpush.FakeWebPushServer;

class VapidTokensTest {

    private static final FakeWebPushServer.VapidKeyStrings PAIR = FakeWebPushServer.newVapidKeys();
    private static final VapidKeys KEYS = VapidKeys.parse(PAIR.publicKey(), PAIR.privateKey());
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final VapidTokens tokens = new VapidTokens(KEYS, "mailto:ops@example.com", clock);

    @Test
    void signsAnEs256JwtForTheEndpointsOrigin() throws Exception {
        String header = tokens.authorization(URI.create("https://fcm.googleapis.com/fcm/send/abc"));

        assertThat(header).startsWith("vapid t=").endsWith(", k=" + PAIR.publicKey());
        String jwt = header.substring("vapid t=".length(), header.indexOf(','));
        String[] parts = jwt.split("\\.");
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initVerify(KEYS.publicKey());
        es256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(es256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        JsonNode claims = WebPushPayload.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.get("aud").asText()).isEqualTo("https://fcm.googleapis.com");
        assertThat(claims.get("exp").asLong()).isEqualTo(T0.plus(Duration.ofHours(12)).getEpochSecond());
        assertThat(claims.get("sub").asText()).isEqualTo("mailto:ops@example.com");
    }

    @Test
    void keepsANonDefaultPortInTheAudience() {
        assertThat(VapidTokens.origin(URI.create("http://127.0.0.1:8123/push/1"))).isEqualTo("http://127.0.0.1:8123");
        assertThat(VapidTokens.origin(URI.create("https://Push.Example.com:443/x"))).isEqualTo(
                "https://push.example.com");
    }

    @Test
    void reusesTheTokenForOneOriginUntilItNeedsRenewal() {
        String first = tokens.authorization(URI.create("https://push.example.com/a"));
        clock.advance(Duration.ofHours(5));
        String later = tokens.authorization(URI.create("https://push.example.com/b"));
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        String renewed = tokens.authorization(URI.create("https://push.example.com/c"));

        assertThat(later).isEqualTo(first);
        assertThat(renewed).isNotEqualTo(first);
    }

    @Test
    void signsSeparatelyForEachOrigin() {
        assertThat(tokens.authorization(URI.create("https://a.example.com/x")))
                .isNotEqualTo(tokens.authorization(URI.create("https://b.example.com/x")));
    }

    @Test
    void refusesASubjectPushServicesWouldRefuse() {
        assertThatThrownBy(() -> new VapidTokens(KEYS, "ops@example.com", clock))
                .hasMessageStartingWith("subject: ");
        assertThatThrownBy(() -> new VapidTokens(KEYS, "mailto: <ops@example.com>", clock))
                .hasMessageStartingWith("subject: ");
    }

    static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
