package io.pushcore.provider.hms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pushcore.model.Action;
import io.pushcore.model.Behaviour;
import io.pushcore.model.DataContent;
import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.model.SilentContent;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.testing.hms.FakeHmsServer;
import io.pushcore.testing.hms.FakeHmsServer.Reply;
import io.pushcore.testing.sdk.AndroidSdk;

/** Push Kit against a local Push Kit and OAuth server that checks the token, the body shape and the token list. */
class HmsProviderTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final UUID CONTEXT = UUID.fromString("11111111-2222-3333-4444-555555555555");

    private static FakeHmsServer hms;

    @BeforeAll
    static void start() {
        hms = FakeHmsServer.start();
    }

    @AfterAll
    static void stop() {
        hms.close();
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static HmsProvider provider(String appId, Clock clock) {
        return provider(HmsCredentials.parse(hms.credential(appId), url -> true),
                HmsProvider.Options.DEFAULT.withClock(clock));
    }

    private static HmsProvider provider(HmsCredentials credentials, HmsProvider.Options options) {
        return new HmsProvider(credentials, options);
    }

    private static Push push(String foreignId, io.pushcore.model.Content content) {
        return new Push(CONTEXT, UUID.randomUUID(), foreignId, content, NOW.plusSeconds(3600));
    }

    private static DataContent data(String title) {
        return new DataContent(title, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static String token(String name) {
        return name + "-" + UUID.randomUUID();
    }

    @Test
    void sendsTheDataMessageTheAndroidSdkParsesWithAnAccessTokenOfTheApp() {
        DataContent content = new DataContent("Hello", "World", null, "https://cdn.example/icon.png", null,
                "https://cdn.example/image.png", 3, null, "news",
                new Behaviour("https://example.com", null, "app://android", "app://huawei", null),
                List.of(new Action("open", "Open", null, null)), "{\"x\":1}", null, null);
        Push push = push("user-42", content);
        String token = token("device");
        try (HmsProvider provider = provider("100000001", Clock.fixed(NOW, ZoneOffset.UTC))) {
            assertThat(provider.sendEach(List.of(new HmsProvider.Addressed(push, new DeviceToken(token)))))
                    .singleElement().isInstanceOf(Delivery.Accepted.class);
        }

        FakeHmsServer.Request request = hms.requestsFor(token).getFirst();
        assertThat(request.appId()).isEqualTo("100000001");
        assertThat(request.authorization()).matches("Bearer hms-at-\\d+-100000001");
        assertThat(request.contentType()).startsWith("application/json");
        assertThat(request.tokens()).containsExactly(token);
        JsonNode message = request.json().path("message");
        assertThat(request.json().path("validate_only").asBoolean(true)).isFalse();
        assertThat(message.path("android").path("ttl").asText()).isEqualTo("3600s");
        AndroidSdk.RemotePpgMessage m = (AndroidSdk.RemotePpgMessage) AndroidSdk.fromHms(message.path("data").asText());
        assertThat(m.messageId()).isEqualTo(push.messageId());
        assertThat(m.contextId()).isEqualTo(CONTEXT);
        assertThat(m.foreignId()).isEqualTo("user-42");
        assertThat(m.defaultAction()).isEqualTo("app://huawei");
        assertThat(m.actions()).containsExactly(new AndroidSdk.Action("open", "Open", "app://huawei", null));
        assertThat(m.badge()).isEqualTo(3);
        assertThat(m.channelName()).isEqualTo("news");
        assertThat(hms.tokenRequests()).filteredOn(r -> "100000001".equals(r.clientId()))
                .containsExactly(new FakeHmsServer.TokenRequest("client_credentials", "100000001", true));
    }

    @Test
    void sendsSilentMessagesWithTheirIdsAtTheTopLevel() {
        Push push = push(null, new SilentContent("sync"));
        String token = token("silent");
        try (HmsProvider provider = provider("100000002", Clock.fixed(NOW, ZoneOffset.UTC))) {
            assertThat(provider.sendEach(List.of(new HmsProvider.Addressed(push, new DeviceToken(token)))))
                    .singleElement().isInstanceOf(Delivery.Accepted.class);
        }

        JsonNode data = hms.requestsFor(token).getFirst().data();
        assertThat(data.path("_silent").asBoolean()).isTrue();
        assertThat(data.path("messageId").asText()).isEqualTo(push.messageId().toString());
        AndroidSdk.SilentPpgMessage m = (AndroidSdk.SilentPpgMessage) AndroidSdk.fromHms(data.toString());
        assertThat(m.externalData()).isEqualTo("sync");
    }

    @Test
    void asksForOneAccessTokenForManyConcurrentSends() {
        hms.tokenLatency(Duration.ofMillis(300));
        try (HmsProvider provider = provider("100000003", Clock.fixed(NOW, ZoneOffset.UTC))) {
            List<HmsProvider.Addressed> pushes = IntStream.range(0, 50)
                    .mapToObj(i -> new HmsProvider.Addressed(push(null, data("t" + i)), new DeviceToken(token("c"))))
                    .toList();
            assertThat(provider.sendEach(pushes)).hasSize(50).allMatch(Delivery.Accepted.class::isInstance);
            assertThat(provider.sendEach(pushes.subList(0, 5))).allMatch(Delivery.Accepted.class::isInstance);
        } finally {
            hms.tokenLatency(Duration.ZERO);
        }
        assertThat(hms.tokenRequests("100000003")).isEqualTo(1);
    }

    @Test
    void asksForANewAccessTokenShortlyBeforeTheOldOneExpires() {
        MovableClock clock = new MovableClock();
        try (HmsProvider provider = provider("100000004", clock)) {
            provider.sendEach(List.of(new HmsProvider.Addressed(push(null, data("a")), new DeviceToken(token("e")))));
            clock.now = NOW.plus(Duration.ofMinutes(54));
            provider.sendEach(List.of(new HmsProvider.Addressed(push(null, data("b")), new DeviceToken(token("e")))));
            assertThat(hms.tokenRequests("100000004")).isEqualTo(1);

            clock.now = NOW.plus(Duration.ofMinutes(56));
            provider.sendEach(List.of(new HmsProvider.Addressed(push(null, data("c")), new DeviceToken(token("e")))));
            assertThat(hms.tokenRequests("100000004")).isEqualTo(2);
        }
    }

    @Test
    void replacesAnAccessTokenPushKitRefusesAndSendsOnceMore() {
        String token = token("expired");
        hms.script(token, Reply.ACCESS_TOKEN_EXPIRED);
        try (HmsProvider provider = provider("100000005", Clock.fixed(NOW, ZoneOffset.UTC))) {
            assertThat(provider.sendEach(List.of(new HmsProvider.Addressed(push(null, data("t")),
                    new DeviceToken(token))))).singleElement().isInstanceOf(Delivery.Accepted.class);
        }
        assertThat(hms.requestsFor(token)).hasSize(2);
        assertThat(hms.requestsFor(token).get(0).authorization())
                .isNotEqualTo(hms.requestsFor(token).get(1).authorization());
        assertThat(hms.tokenRequests("100000005")).isEqualTo(2);
    }

    @Test
    void mapsPushKitsAnswersToDeliveries() {
        String invalid = token("invalid");
        String throttled = token("throttled");
        String internal = token("internal");
        String forbidden = token("forbidden");
        hms.script(invalid, Reply.INVALID_TOKEN);
        hms.script(throttled, Reply.FLOW_CONTROL);
        hms.script(internal, Reply.INTERNAL_ERROR);
        hms.script(forbidden, Reply.NO_PERMISSION);
        List<Delivery> d;
        try (HmsProvider provider = provider("100000006", Clock.fixed(NOW, ZoneOffset.UTC))) {
            d = provider.sendEach(List.of(invalid, throttled, internal, forbidden).stream()
                    .map(t -> new HmsProvider.Addressed(push(null, data("t")), new DeviceToken(t))).toList());
        }
        assertThat(d.get(0)).isInstanceOfSatisfying(Delivery.Rejected.class,
                r -> assertThat(r.code()).isEqualTo(ErrorCode.UNREGISTERED));
        assertThat(d.get(1)).isInstanceOfSatisfying(Delivery.Deferred.class,
                r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
        assertThat(d.get(2)).isInstanceOf(Delivery.Deferred.class);
        assertThat(d.get(3)).isInstanceOfSatisfying(Delivery.Rejected.class,
                r -> assertThat(r.code()).isEqualTo(ErrorCode.CREDENTIAL_REJECTED));
    }

    @Test
    void refusesTheCredentialWhenTheTokenEndpointRefusesTheSecretWithoutSending() {
        java.util.Map<String, Object> payload = hms.credential("100000007");
        payload.put("appSecret", "wrong-secret");
        String token = token("never");
        Delivery d;
        try (HmsProvider provider = provider(HmsCredentials.parse(payload, url -> true),
                HmsProvider.Options.DEFAULT)) {
            d = provider.sendEach(List.of(new HmsProvider.Addressed(push(null, data("t")), new DeviceToken(token))))
                    .getFirst();
        }
        assertThat(d).isInstanceOfSatisfying(Delivery.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo(ErrorCode.CREDENTIAL_REJECTED);
            assertThat(r.reason()).contains("Huawei OAuth 400: invalid client").doesNotContain("wrong-secret");
        });
        assertThat(hms.requestsFor(token)).isEmpty();
    }

    @Test
    void defersWhileTheTokenEndpointIsDown() {
        hms.tokenEndpointStatus(503);
        try (HmsProvider provider = provider("100000008", Clock.fixed(NOW, ZoneOffset.UTC))) {
            assertThat(provider.sendEach(List.of(new HmsProvider.Addressed(push(null, data("t")),
                    new DeviceToken(token("down")))))).singleElement().isInstanceOf(Delivery.Deferred.class);
        } finally {
            hms.tokenEndpointStatus(200);
        }
    }

    @Test
    void givesUpOnAStalledPushKitAfterTheRequestTimeout() {
        hms.latency(Duration.ofSeconds(3));
        try (HmsProvider provider = provider(HmsCredentials.parse(hms.credential("100000009"), url -> true),
                HmsProvider.Options.DEFAULT.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)))) {
            Delivery d = provider.sendEach(List.of(new HmsProvider.Addressed(push(null, data("t")),
                    new DeviceToken(token("stall"))))).getFirst();
            assertThat(d).isInstanceOfSatisfying(Delivery.Deferred.class,
                    r -> assertThat(r.reason()).contains("did not answer within 300 ms"));
        } finally {
            hms.latency(Duration.ZERO);
        }
    }

    @Test
    void keepsAtMostMaxConcurrencyMessagesInFlightPerCredential() {
        try (FakeHmsServer own = FakeHmsServer.start();
                HmsProvider provider = provider(HmsCredentials.parse(own.credential("100000010"), url -> true),
                        HmsProvider.Options.DEFAULT.withMaxConcurrency(4))) {
            own.latency(Duration.ofMillis(50));
            provider.sendEach(IntStream.range(0, 24).mapToObj(i -> new HmsProvider.Addressed(push(null, data("t")),
                    new DeviceToken(token("bounded")))).toList());
            assertThat(own.requests()).hasSize(24);
            assertThat(own.maxInFlight()).isBetween(2, 4);
        }
    }

    @Test
    void refusesMessagesOverFourKilobytesWithoutSending() {
        String token = token("big");
        try (HmsProvider provider = provider("100000011", Clock.fixed(NOW, ZoneOffset.UTC))) {
            Delivery d = provider.sendEach(List.of(new HmsProvider.Addressed(push(null, data("x".repeat(4000))),
                    new DeviceToken(token)))).getFirst();
            assertThat(d).isInstanceOfSatisfying(Delivery.Rejected.class,
                    r -> assertThat(r.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
        }
        assertThat(hms.requestsFor(token)).isEmpty();
    }
}
