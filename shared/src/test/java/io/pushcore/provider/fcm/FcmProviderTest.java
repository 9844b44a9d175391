package io.pushcore.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.model.Action;
import io.pushcore.model.Behaviour;
import io.pushcore.model.DataContent;
import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.model.SilentContent;
import io.pushcore.model.WebPushSubscription;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.testing.fcm.FakeFcmServer;
import io.pushcore.testing.fcm.FakeFcmServer.Reply;

class FcmProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final UUID CONTEXT = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private static final UUID MESSAGE = UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");

    private static FakeFcmServer fcm;
    private static FcmProvider provider;

    @BeforeAll
    static void start() {
        fcm = FakeFcmServer.start();
        provider = new FcmProvider(credentials("demo-project"), options());
    }

    @AfterAll
    static void stop() {
        provider.close();
        fcm.close();
    }

    private static FcmCredentials credentials(String project) {
        return FcmCredentials.parse(fcm.serviceAccountJson(project), uri -> "127.0.0.1".equals(uri.getHost()));
    }

    private static FcmProvider.Options options() {
        return FcmProvider.Options.DEFAULT.withBaseUrl(fcm.baseUrl()).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Push push(String foreignId) {
        return new Push(CONTEXT, UUID.randomUUID(), foreignId, new DataContent("Hi", null, null, null, null, null,
                null, null, null, null, null, null, null, null), NOW.plusSeconds(60));
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void sendsDataMessageWithThePpgStringTheAndroidSdkParses() throws Exception {
        DataContent content = new DataContent("Hello", "World", "Sub", "https://cdn.example/icon.png",
                "https://cdn.example/small.png", "https://cdn.example/image.png", 3, 7, null,
                new Behaviour("https://example.com", null, "app://example/deep", null, null),
                List.of(new Action("open", "Open", "https://cdn.example/a.png",
                        new Behaviour("https://example.com/a", null, null, null, null))),
                "{\"x\":1}", null, null);

        Delivery d = provider.send(new Push(CONTEXT, MESSAGE, "user-42", content, NOW.plusSeconds(3600)),
                new DeviceToken("tok-data"));

        assertThat(d).isInstanceOfSatisfying(Delivery.Accepted.class,
                a -> assertThat(a.providerId()).startsWith("projects/demo-project/messages/"));
        FakeFcmServer.Request r = fcm.requestsFor("tok-data").getFirst();
        assertThat(r.projectId()).isEqualTo("demo-project");
        assertThat(r.authorization()).startsWith("Bearer ya29.fake-");
        assertThat(fcm.tokenAssertions()).isNotEmpty();
        String ppg = """
                {"messageId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","contextId":"11111111-2222-3333-4444-555555555555",\
                "foreignId":"user-42","title":"Hello","body":"World","icon":"https://cdn.example/icon.png",\
                "image":"https://cdn.example/image.png","smallIcon":"https://cdn.example/small.png",\
                "actions":[{"action":"open","title":"Open","actionUrl":"https://example.com/a",\
                "icon":"https://cdn.example/a.png"}],"defaultAction":"app://example/deep","badge":7,\
                "channelName":"default","externalData":"{\\"x\\":1}"}""";
        assertThat(r.json().path("message").path("data").path("_ppg").asText()).isEqualTo(ppg);
        assertThat(r.json()).isEqualTo(json("""
                {"message":{"token":"tok-data",
                 "android":{"priority":"high","ttl":"3600s"},"data":{"_ppg":%s}}}"""
                .formatted(JSON.writeValueAsString(ppg))));
    }

    @Test
    void sendsSilentMessageWithNormalPriority() throws Exception {
        Delivery d = provider.send(new Push(CONTEXT, MESSAGE, null, new SilentContent("sync"),
                NOW.plusMillis(120_900)), new DeviceToken("tok-silent"));

        assertThat(d).isInstanceOf(Delivery.Accepted.class);
        assertThat(fcm.requestsFor("tok-silent").getFirst().json()).isEqualTo(json("""
                {"message":{"token":"tok-silent",
                 "android":{"priority":"normal","ttl":"120s"},
                 "data":{"_silent":"{\\"messageId\\":\\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\\",\
                \\"contextId\\":\\"11111111-2222-3333-4444-555555555555\\",\\"externalData\\":\\"sync\\"}"}}}"""));
    }

    @Test
    void marksUnregisteredTokenUnregistered() {
        fcm.script("tok-gone", Reply.unregistered());

        Delivery d = provider.send(push(null), new DeviceToken("tok-gone"));

        assertThat(d).isInstanceOfSatisfying(Delivery.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo(ErrorCode.UNREGISTERED);
            assertThat(r.reason()).startsWith("FCM 404 UNREGISTERED");
        });
    }

    @Test
    void marksInvalidArgumentAboutTheTokenUnregisteredAndOtherInvalidArgumentsRejected() {
        fcm.script("tok-bad", Reply.invalidToken());
        fcm.script("tok-bad-message", Reply.invalidArgument("Invalid value at 'message.android.ttl'"));

        assertThat(((Delivery.Rejected) provider.send(push(null), new DeviceToken("tok-bad"))).code())
                .isEqualTo(ErrorCode.UNREGISTERED);
        assertThat(((Delivery.Rejected) provider.send(push(null), new DeviceToken("tok-bad-message"))).code())
                .isEqualTo(ErrorCode.PROVIDER_REJECTED);
    }

    @Test
    void defersQuotaExceededWithTheRetryAfterHint() {
        fcm.script("tok-quota", Reply.quotaExceeded(Duration.ofSeconds(30)));

        Delivery d = provider.send(push(null), new DeviceToken("tok-quota"));

        assertThat(d).isInstanceOfSatisfying(Delivery.Deferred.class, r -> {
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(r.reason()).startsWith("FCM 429 QUOTA_EXCEEDED");
        });
        assertThat(fcm.requestsFor("tok-quota")).hasSize(1);
    }

    @Test
    void defersUnavailableAfterOneAttemptAndDeliversOnTheNext() {
        fcm.script("tok-flaky", Reply.unavailable(), Reply.internal());

        assertThat(provider.send(push(null), new DeviceToken("tok-flaky"))).isInstanceOfSatisfying(
                Delivery.Deferred.class, r -> assertThat(r.reason()).contains("UNAVAILABLE"));
        assertThat(fcm.requestsFor("tok-flaky")).hasSize(1);
        assertThat(provider.send(push(null), new DeviceToken("tok-flaky"))).isInstanceOfSatisfying(
                Delivery.Deferred.class, r -> assertThat(r.reason()).contains("INTERNAL"));
        assertThat(provider.send(push(null), new DeviceToken("tok-flaky"))).isInstanceOf(Delivery.Accepted.class);
        assertThat(fcm.requestsFor("tok-flaky")).hasSize(3);
    }

    @Test
    void reportsCredentialRejectedForSenderIdMismatchAndThirdPartyAuthError() {
        fcm.script("tok-other-project", Reply.senderIdMismatch());
        fcm.script("tok-apns-broken", Reply.thirdPartyAuthError());

        assertThat(((Delivery.Rejected) provider.send(push(null), new DeviceToken("tok-other-project"))).code())
                .isEqualTo(ErrorCode.CREDENTIAL_REJECTED);
        assertThat(((Delivery.Rejected) provider.send(push(null), new DeviceToken("tok-apns-broken"))).code())
                .isEqualTo(ErrorCode.CREDENTIAL_REJECTED);
        assertThat(fcm.requestsFor("tok-other-project")).hasSize(1);
        assertThat(fcm.requestsFor("tok-apns-broken")).hasSize(1);
    }

    @Test
    void reportsCredentialRejectedWhenTheTokenEndpointRefusesTheServiceAccount() {
        fcm.refuseTokenRequests(true);
        try (FcmProvider revoked = new FcmProvider(credentials("revoked-project"), options())) {
            Delivery d = revoked.send(push(null), new DeviceToken("tok-revoked"));

            assertThat(d).isInstanceOfSatisfying(Delivery.Rejected.class,
                    r -> assertThat(r.code()).isEqualTo(ErrorCode.CREDENTIAL_REJECTED));
            assertThat(fcm.requestsFor("tok-revoked")).isEmpty();
        } finally {
            fcm.refuseTokenRequests(false);
        }
    }

    @Test
    void defersWhenFcmCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        FcmProvider.Options unreachable = options().withBaseUrl(URI.create("http://127.0.0.1:" + closedPort));

        try (FcmProvider p = new FcmProvider(credentials("demo-project"), unreachable)) {
            assertThat(p.send(push(null), new DeviceToken("tok-x"))).isInstanceOf(Delivery.Deferred.class);
        }
    }

    @Test
    void sendsMoreThanFiveHundredInChunksAndAnswersInInputOrder() {
        List<FcmProvider.Addressed> batch = new ArrayList<>();
        for (int i = 0; i < 1201; i++) {
            batch.add(new FcmProvider.Addressed(push("f" + i), new DeviceToken("bulk-" + i)));
        }
        for (int i : List.of(0, 499, 500, 1000, 1200)) {
            fcm.script("bulk-" + i, Reply.unregistered());
        }

        List<Delivery> results = provider.sendEach(batch);

        assertThat(results).hasSize(1201);
        IntStream.range(0, 1201).forEach(i -> {
            boolean gone = List.of(0, 499, 500, 1000, 1200).contains(i);
            assertThat(results.get(i)).as("result %d", i).isInstanceOf(
                    gone ? Delivery.Rejected.class : Delivery.Accepted.class);
        });
        assertThat(fcm.requests().stream().filter(r -> r.token().startsWith("bulk-")).count()).isEqualTo(1201);
    }

    @Test
    void rejectsOversizedDataWithoutCallingFcm() {
        DataContent big = new DataContent("t", "x".repeat(4100), null, null, null, null, null, null, null, null,
                null, null, null, null);

        Delivery d = provider.send(new Push(CONTEXT, MESSAGE, null, big, NOW.plusSeconds(60)),
                new DeviceToken("tok-big"));

        assertThat(((Delivery.Rejected) d).code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(fcm.requestsFor("tok-big")).isEmpty();
    }

    @Test
    void rejectsWebPushSubscriptionAsInvalidToken() {
        byte[] p256 = new byte[65];
        p256[0] = 4;

        Delivery d = provider.send(push(null),
                new WebPushSubscription(URI.create("https://push.example/x"), p256, new byte[16]));

        assertThat(((Delivery.Rejected) d).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }
}
