package io.pushcore.provider.apns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.eatthepath.pushy.apns.server.RejectionReason;

import io.netty.channel.EventLoopGroup;
import io.pushcore.model.Action;
import io.pushcore.model.Behaviour;
import io.pushcore.model.DataContent;
import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.model.SilentContent;
import io.pushcore.model.WebPushSubscription;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.testing.apns.FakeApnsServer;
import io.pushcore.testing.apns.TestPki;

class ApnsProviderTest {

    private static final String BUNDLE = "com.example.app";
    private static final String WEBSITE = "web.com.example";
    private static final UUID CONTEXT = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private static final UUID MESSAGE = UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    private static final Instant EXPIRES = Instant.parse("2030-01-02T03:04:05Z");

    private static FakeApnsServer apns;
    private static EventLoopGroup loop;
    private static ApnsProvider provider;

    @BeforeAll
    static void startServer() {
        apns = FakeApnsServer.start(BUNDLE, WEBSITE);
        loop = ApnsProvider.newEventLoopGroup(1);
        provider = new ApnsProvider(apns.tokenCredentials(BUNDLE, WEBSITE), apns.options().withEventLoopGroup(loop));
    }

    @AfterAll
    static void stopServer() {
        provider.close();
        apns.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static String token(int n) {
        return String.format("%064x", n);
    }

    private static DataContent fullContent() {
        return new DataContent("Hello", "World", "Sub", "https://cdn.example/icon.png",
                "https://cdn.example/small.png", "https://cdn.example/image.png", 3, 7, "news",
                new Behaviour("https://example.com", null, null, null, "app://example/deep"),
                List.of(new Action("open", "Open", "https://cdn.example/a.png",
                        new Behaviour("https://example.com/a", null, null, null, null))),
                "{\"x\":1}", null, new DataContent.Sounds("default", "ping.caf", null));
    }

    @Test
    void deliversDataPushWithTheExactPayloadAndHeadersTheIosSdkExpects() {
        String token = token(1);
        apns.register(BUNDLE, token);

        Delivery d = provider.send(new Push(CONTEXT, MESSAGE, "user-42", fullContent(), EXPIRES),
                new DeviceToken(token));

        assertThat(d).isEqualTo(new Delivery.Accepted(MESSAGE.toString()));
        FakeApnsServer.Received r = apns.receivedFor(token).getFirst();
        assertThat(r.payload()).isEqualTo("""
                {"aps":{"alert":{"title":"Hello","subtitle":"Sub","body":"World"},"badge":7,"sound":"ping.caf",\
                "category":"news","mutable-content":1},\
                "messageId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","contextId":"11111111-2222-3333-4444-555555555555",\
                "foreignId":"user-42","externalData":"{\\"x\\":1}","channelName":"news",\
                "icon":"https://cdn.example/icon.png","image":"https://cdn.example/image.png",\
                "url":"app://example/deep",\
                "actions":"[{\\"icon\\":\\"https://cdn.example/a.png\\",\\"action\\":\\"open\\",\\"title\\":\\"Open\\",\
                \\"url\\":\\"https://example.com/a\\"}]"}""");
        assertThat(r.headers())
                .containsEntry("apns-topic", BUNDLE)
                .containsEntry("apns-push-type", "alert")
                .containsEntry("apns-priority", "10")
                .containsEntry("apns-expiration", String.valueOf(EXPIRES.getEpochSecond()))
                .containsEntry("apns-id", MESSAGE.toString())
                .doesNotContainKey("apns-collapse-id");
        assertThat(r.headers().get("authorization")).startsWith("bearer ");
    }

    @Test
    void deliversSilentPushAsBackgroundWithPriorityFive() {
        String token = token(2);
        apns.register(BUNDLE, token);

        Delivery d = provider.send(new Push(CONTEXT, MESSAGE, null, new SilentContent("sync"), EXPIRES),
                new DeviceToken(token));

        assertThat(d).isInstanceOf(Delivery.Accepted.class);
        FakeApnsServer.Received r = apns.receivedFor(token).getFirst();
        assertThat(r.payload()).isEqualTo("""
                {"aps":{"content-available":1},"silent":"1","messageId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",\
                "contextId":"11111111-2222-3333-4444-555555555555","externalData":"sync"}""");
        assertThat(r.headers())
                .containsEntry("apns-topic", BUNDLE)
                .containsEntry("apns-push-type", "background")
                .containsEntry("apns-priority", "5")
                .containsEntry("apns-expiration", String.valueOf(EXPIRES.getEpochSecond()))
                .doesNotContainKey("apns-collapse-id");
    }

    @Test
    void sendsToTheWebsitePushIdWithUrlArgsWhenTheReceiverIsSafari() {
        String token = token(3);
        apns.register(WEBSITE, token);

        Delivery d = provider.send(push(), new DeviceToken(token), ApnsPayload.Target.SAFARI);

        assertThat(d).isInstanceOf(Delivery.Accepted.class);
        FakeApnsServer.Received r = apns.receivedFor(token).getFirst();
        assertThat(r.headers()).containsEntry("apns-topic", WEBSITE);
        assertThat(r.payload()).startsWith("{\"aps\":{\"alert\":{\"title\":\"Hello\",\"body\":\"World\"},\"url-args\":[]}");
    }

    @Test
    void marksMalformedHexTokenUnregisteredWhenApnsSaysBadDeviceToken() {
        Delivery d = provider.send(push(), new DeviceToken("ab" + token(4)));

        assertThat(d).isInstanceOf(Delivery.Rejected.class);
        assertThat(((Delivery.Rejected) d).code()).isEqualTo(ErrorCode.UNREGISTERED);
        assertThat(((Delivery.Rejected) d).reason()).contains("400 BadDeviceToken");
    }

    @Test
    void marksTokenOfAnotherAppUnregisteredWhenApnsSaysDeviceTokenNotForTopic() {
        Delivery d = provider.send(push(), new DeviceToken(token(5)));

        assertThat(d).isEqualTo(new Delivery.Rejected(ErrorCode.UNREGISTERED, "APNs 400 DeviceTokenNotForTopic"));
    }

    @Test
    void marksTokenUnregisteredWithTheTimestampApnsGivesWith410() {
        String token = token(6);
        Instant since = Instant.parse("2026-01-01T00:00:00Z");
        apns.unregister(BUNDLE, token, since);

        Delivery d = provider.send(push(), new DeviceToken(token));

        assertThat(d).isEqualTo(new Delivery.Rejected(ErrorCode.UNREGISTERED,
                "APNs 410 Unregistered (token inactive since 2026-01-01T00:00:00Z)"));
    }

    @Test
    void defersWhenApnsSaysTooManyRequests() {
        String token = token(7);
        apns.register(BUNDLE, token);
        apns.script(token, RejectionReason.TOO_MANY_REQUESTS);

        assertThat(provider.send(push(), new DeviceToken(token)))
                .isEqualTo(new Delivery.Deferred("APNs 429 TooManyRequests", null));
    }

    @Test
    void defersOnServiceUnavailableAndDeliversOnTheNextAttempt() {
        String token = token(8);
        apns.register(BUNDLE, token);
        apns.script(token, RejectionReason.SERVICE_UNAVAILABLE);

        assertThat(provider.send(push(), new DeviceToken(token)))
                .isEqualTo(new Delivery.Deferred("APNs 503 ServiceUnavailable", null));
        assertThat(provider.send(push(), new DeviceToken(token))).isInstanceOf(Delivery.Accepted.class);
    }

    @Test
    void rejectsNonHexTokenWithoutCallingApple() {
        int before = apns.received().size();

        Delivery d = provider.send(push(), new DeviceToken("not-a-token"));

        assertThat(d).isInstanceOf(Delivery.Rejected.class);
        assertThat(((Delivery.Rejected) d).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(apns.received()).hasSize(before);
    }

    @Test
    void rejectsWebPushSubscriptionAsInvalidToken() {
        WebPushSubscription s = new WebPushSubscription(URI.create("https://push.example/x"), p256(), new byte[16]);

        assertThat(((Delivery.Rejected) provider.send(push(), s)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void rejectsOversizedPayloadWithoutCallingApple() {
        String token = token(9);
        apns.register(BUNDLE, token);
        DataContent big = new DataContent("t", "x".repeat(5000), null, null, null, null, null, null, null, null,
                null, null, null, null);

        Delivery d = provider.send(new Push(CONTEXT, MESSAGE, null, big, EXPIRES), new DeviceToken(token));

        assertThat(((Delivery.Rejected) d).code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(apns.receivedFor(token)).isEmpty();
    }

    @Test
    void reportsCredentialRejectedWhenApnsRefusesTheProviderToken() {
        String token = token(10);
        apns.register(BUNDLE, token);
        ApnsCredentials unknownKey = ApnsCredentials.Token.parse("TEAM123456", "OTHERKEY12",
                TestPki.pem(TestPki.ecP256().getPrivate()), false, BUNDLE, null);

        try (ApnsProvider other = new ApnsProvider(unknownKey, apns.options().withEventLoopGroup(loop))) {
            Delivery d = other.send(push(), new DeviceToken(token));

            assertThat(d).isInstanceOf(Delivery.Rejected.class);
            assertThat(((Delivery.Rejected) d).code()).isEqualTo(ErrorCode.CREDENTIAL_REJECTED);
            assertThat(((Delivery.Rejected) d).reason()).contains("403 InvalidProviderToken");
        }
    }

    @Test
    void sendsWithAClientCertificateFromAP12Credential() {
        String token = token(11);
        apns.register(BUNDLE, token);
        FakeApnsServer.ClientIdentity id = apns.issueClientCertificate(BUNDLE, Instant.now().plusSeconds(86_400));
        ApnsCredentials.Certificate cert = ApnsCredentials.Certificate.fromP12(
                TestPki.p12Base64(id.certificate(), id.key(), "s3cret"), "s3cret", false, null, null);

        try (ApnsProvider certProvider = new ApnsProvider(cert, apns.options().withEventLoopGroup(loop))) {
            Delivery d = certProvider.send(push(), new DeviceToken(token));

            assertThat(d).isInstanceOf(Delivery.Accepted.class);
            FakeApnsServer.Received r = apns.receivedFor(token).getFirst();
            assertThat(r.headers()).containsEntry("apns-topic", BUNDLE).doesNotContainKey("authorization");
        }
    }

    private static Push push() {
        return new Push(CONTEXT, UUID.randomUUID(), null, new DataContent("Hello", "World", null, null, null, null,
                null, null, null, null, null, null, null, null), EXPIRES);
    }

    private static byte[] p256() {
        byte[] key = new byte[65];
        key[0] = 0x04;
        return key;
    }

    @Test
    void keepsAtMostMaxInFlightNotificationsWaitingForTheirAnswers() throws Exception {
        ApnsProvider bounded = new ApnsProvider(apns.tokenCredentials(BUNDLE, WEBSITE), apns.options()
                .withEventLoopGroup(loop).withConcurrency(1, 2).withTimeout(Duration.ofSeconds(3)));
        try {
            List<CompletableFuture<Delivery>> answers = new ArrayList<>();
            try (AutoCloseable hold = apns.holdAnswers()) {
                for (int i = 0; i < 3; i++) {
                    String token = token(40 + i);
                    apns.register(BUNDLE, token);
                    // the third waits up to the timeout for one of the two permits, which are held until answered
                    answers.add(bounded.sendAsync(push(), new DeviceToken(token), ApnsPayload.Target.IOS));
                }
                assertThat(answers.get(2).join())
                        .isEqualTo(new Delivery.Deferred("more than 2 APNs sends in flight", null));
                assertThat(answers.get(0)).isNotDone();
                assertThat(answers.get(1)).isNotDone();
            }
            assertThat(answers.get(0).get(10, TimeUnit.SECONDS)).isInstanceOf(Delivery.Accepted.class);
            assertThat(answers.get(1).get(10, TimeUnit.SECONDS)).isInstanceOf(Delivery.Accepted.class);
            assertThat(apns.receivedFor(token(42))).isEmpty();
        } finally {
            bounded.close();
        }
    }
}
