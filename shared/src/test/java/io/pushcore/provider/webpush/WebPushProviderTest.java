package io.pushcore.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.apache.http.Header;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pushcore.model.DataContent;
import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.model.SilentContent;
import io.pushcore.model.WebPushSubscription;
import io.pushcore.net.NetworkPolicy;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Reply;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.pushcore.testing.webpush.ReceivedPush;
import io.vertx.core.Vertx;
import nl.martijndwars.webpush.Encoding;
import nl.martijndwars.webpush.Notification;
import nl.martijndwars.webpush.PushService;
import nl.martijndwars.webpush.Subscription;

class WebPushProviderTest {

    private static final FakeWebPushServer.VapidKeyStrings PAIR = FakeWebPushServer.newVapidKeys();
    private static final VapidKeys KEYS = VapidKeys.parse(PAIR.publicKey(), PAIR.privateKey());
    private static final String SUBJECT = "mailto:ops@example.com";

    private final FakeWebPushServer server = new FakeWebPushServer();
    static final Vertx VERTX = Vertx.vertx();

    private final WebPushTransport transport = new WebPushTransport(VERTX, new NetworkPolicy(true),
            WebPushTransport.Limits.DEFAULT.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
    private final WebPushProvider provider = new WebPushProvider(KEYS, SUBJECT, transport);

    {
        server.expectVapidPublicKey(PAIR.publicKey());
    }

    @AfterEach
    void close() {
        provider.close();
        transport.close();
        server.close();
    }

    @Test
    void deliversAPayloadTheSubscriberDecryptsWithAVerifiedVapidToken() throws Exception {
        Subscriber subscriber = server.subscribe();
        Push push = dataPush("Hello – żółw 🐢", Instant.now().plusSeconds(3600));

        Delivery delivery = provider.send(push, address(subscriber));

        assertThat(delivery).isInstanceOfSatisfying(Delivery.Accepted.class,
                accepted -> assertThat(accepted.providerId()).startsWith(server.origin() + "/message/"));
        ReceivedPush received = server.received(subscriber).getFirst();
        assertThat(received.decryptionProblem()).isNull();
        assertThat(received.plaintext()).isEqualTo(new String(WebPushPayload.json(push), StandardCharsets.UTF_8));
        assertThat(received.vapidProblem()).isNull();
        assertThat(received.vapidVerified()).isTrue();
        assertThat(received.header("Content-Encoding")).isEqualTo("aes128gcm");
        assertThat(received.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(received.header("Urgency")).isEqualTo("normal");
        assertThat(Long.parseLong(received.header("TTL"))).isBetween(3590L, 3600L);
    }

    @Test
    void deliversSilentPushes() {
        Subscriber subscriber = server.subscribe();
        Push push = new Push(UUID.randomUUID(), UUID.randomUUID(), "f1", new SilentContent("x"),
                Instant.now().plusSeconds(60));

        assertThat(provider.send(push, address(subscriber))).isInstanceOf(Delivery.Accepted.class);
        assertThat(server.received(subscriber).getFirst().plaintext()).contains("\"_silent\":true");
    }

    @Test
    void clampsTtlToZeroForAnExpiredContextAndTo28Days() {
        Subscriber subscriber = server.subscribe();

        provider.send(dataPush("old", Instant.now().minusSeconds(10)), address(subscriber));
        provider.send(dataPush("far", Instant.now().plus(Duration.ofDays(90))), address(subscriber));

        assertThat(server.received(subscriber)).extracting(p -> p.header("TTL")).containsExactly("0", "2419200");
    }

    @Test
    void signsOnceForTwoSendsToTheSameOrigin() {
        Subscriber a = server.subscribe();
        Subscriber b = server.subscribe();

        provider.send(dataPush("1", Instant.now().plusSeconds(60)), address(a));
        provider.send(dataPush("2", Instant.now().plusSeconds(60)), address(b));

        List<ReceivedPush> received = server.received();
        assertThat(received).hasSize(2).allMatch(ReceivedPush::vapidVerified);
        assertThat(received.get(0).vapidToken()).isEqualTo(received.get(1).vapidToken());
    }

    @ParameterizedTest
    @CsvSource({ "410, UNREGISTERED", "404, UNREGISTERED", "413, PAYLOAD_TOO_LARGE", "401, CREDENTIAL_REJECTED",
            "403, CREDENTIAL_REJECTED", "400, PROVIDER_REJECTED" })
    void rejectsForGoodOnPermanentStatuses(int status, ErrorCode code) {
        Subscriber subscriber = server.subscribe().respond(status);

        Delivery delivery = provider.send(dataPush("x", Instant.now().plusSeconds(60)), address(subscriber));

        assertThat(delivery).isInstanceOfSatisfying(Delivery.Rejected.class, rejected -> {
            assertThat(rejected.code()).isEqualTo(code);
            assertThat(rejected.reason()).contains(Integer.toString(status));
        });
    }

    @Test
    void quotesAShortExcerptOfACredentialRejection() {
        Subscriber subscriber = server.subscribe()
                .respond(Reply.status(403).withBody("{\"errno\":109,\n \"message\":\"" + "x".repeat(500) + "\"}"));

        Delivery delivery = provider.send(dataPush("x", Instant.now().plusSeconds(60)), address(subscriber));

        assertThat(delivery).isInstanceOfSatisfying(Delivery.Rejected.class, rejected -> {
            assertThat(rejected.reason()).startsWith("push service answered 403: {\"errno\":109, \"message\"");
            assertThat(rejected.reason()).hasSizeLessThan(260);
        });
    }

    @Test
    void defersA500WithTheRetryAfterSeconds() {
        Subscriber subscriber = server.subscribe().respondRetryAfter(500, "7");

        Delivery first = provider.send(dataPush("x", Instant.now().plusSeconds(60)), address(subscriber));
        Delivery second = provider.send(dataPush("x", Instant.now().plusSeconds(60)), address(subscriber));

        assertThat(first).isEqualTo(new Delivery.Deferred("push service answered 500", Duration.ofSeconds(7)));
        assertThat(second).isInstanceOf(Delivery.Accepted.class);
    }

    @Test
    void defersA429WithTheRetryAfterDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        Subscriber subscriber = server.subscribe().respondRetryAfter(429, date);

        Delivery delivery = provider.send(dataPush("x", Instant.now().plusSeconds(60)), address(subscriber));

        assertThat(delivery).isInstanceOfSatisfying(Delivery.Deferred.class,
                deferred -> assertThat(deferred.retryAfter()).isBetween(Duration.ofSeconds(25),
                        Duration.ofSeconds(30)));
    }

    @Test
    void defersWhenThePushServiceIsTooSlow() {
        try (WebPushTransport impatient = new WebPushTransport(VERTX, new NetworkPolicy(true),
                WebPushTransport.Limits.DEFAULT.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200)))) {
            Subscriber subscriber = server.subscribe().respond(Reply.status(201).after(Duration.ofMillis(800)));

            Delivery delivery = new WebPushProvider(KEYS, SUBJECT, impatient)
                    .send(dataPush("x", Instant.now().plusSeconds(60)), address(subscriber));

            assertThat(delivery).isInstanceOfSatisfying(Delivery.Deferred.class,
                    deferred -> assertThat(deferred.reason()).contains("did not answer within"));
        }
    }

    @Test
    void defersWhenTheConnectionIsRefused() {
        WebPushSubscription closedPort = WebPushSubscription.parse("http://127.0.0.1:1/push/x",
                server.subscribe().p256dh(), server.subscribe().auth());

        Delivery delivery = provider.send(dataPush("x", Instant.now().plusSeconds(60)), closedPort);

        assertThat(delivery).isInstanceOfSatisfying(Delivery.Deferred.class,
                deferred -> assertThat(deferred.reason()).startsWith("push service unreachable"));
    }

    @Test
    void defersWhenTheEndpointHostDoesNotResolve() {
        Subscriber subscriber = server.subscribe();
        WebPushSubscription unresolvable = WebPushSubscription.parse("http://push.example.invalid/x",
                subscriber.p256dh(), subscriber.auth());

        Delivery delivery = provider.send(dataPush("x", Instant.now().plusSeconds(60)), unresolvable);

        assertThat(delivery).isEqualTo(new Delivery.Deferred("push service host does not resolve", null));
    }

    @Test
    void refusesLoopbackAndPlainHttpEndpointsInProduction() {
        Subscriber subscriber = server.subscribe();
        try (WebPushTransport production = new WebPushTransport(VERTX, NetworkPolicy.PRODUCTION,
                WebPushTransport.Limits.DEFAULT.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)))) {
            WebPushProvider strict = new WebPushProvider(KEYS, SUBJECT, production);
            WebPushSubscription https = WebPushSubscription.parse(
                    subscriber.endpoint().replace("http://", "https://"), subscriber.p256dh(), subscriber.auth());

            Delivery plain = strict.send(dataPush("x", Instant.now().plusSeconds(60)), address(subscriber));
            Delivery loopback = strict.send(dataPush("x", Instant.now().plusSeconds(60)), https);

            assertThat(plain).isEqualTo(new Delivery.Rejected(ErrorCode.FORBIDDEN_ENDPOINT, "URL must use https"));
            assertThat(loopback).isEqualTo(new Delivery.Rejected(ErrorCode.FORBIDDEN_ENDPOINT,
                    "host resolves to a loopback address"));
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void refusesAPayloadBeyondOneRecordWithoutSending() {
        Subscriber subscriber = server.subscribe();

        Delivery delivery = provider.send(dataPush("x".repeat(4000), Instant.now().plusSeconds(60)),
                address(subscriber));

        assertThat(delivery).isInstanceOfSatisfying(Delivery.Rejected.class,
                rejected -> assertThat(rejected.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
        assertThat(server.received()).isEmpty();
    }

    @Test
    void refusesAnAddressThatIsNotAWebPushSubscription() {
        Delivery delivery = provider.send(dataPush("x", Instant.now().plusSeconds(60)), new DeviceToken("abc"));

        assertThat(delivery).isInstanceOfSatisfying(Delivery.Rejected.class,
                rejected -> assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_SUBSCRIPTION));
    }

    @Test
    void refusesASubscriptionKeyOffTheCurve() {
        Subscriber subscriber = server.subscribe();
        byte[] key = Base64.getUrlDecoder().decode(subscriber.p256dh());
        key[64] ^= 1;
        WebPushSubscription broken = new WebPushSubscription(URI.create(subscriber.endpoint()), key,
                Base64.getUrlDecoder().decode(subscriber.auth()));

        Delivery delivery = provider.send(dataPush("x", Instant.now().plusSeconds(60)), broken);

        assertThat(delivery).isEqualTo(new Delivery.Rejected(ErrorCode.INVALID_SUBSCRIPTION,
                "p256dh: is not a point on P-256"));
    }

    @Test
    void sendsToManySubscribersConcurrently() throws Exception {
        List<Subscriber> subscribers = IntStream.range(0, 200).mapToObj(i -> server.subscribe()).toList();
        Push push = dataPush("bulk", Instant.now().plusSeconds(60));

        List<Delivery> deliveries;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Delivery>> futures = subscribers.stream()
                    .map(s -> executor.submit(() -> provider.send(push, address(s)))).toList();
            deliveries = futures.stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }

        assertThat(deliveries).allMatch(d -> d instanceof Delivery.Accepted);
        List<ReceivedPush> received = server.awaitCount(200, Duration.ofSeconds(5));
        assertThat(received).allMatch(ReceivedPush::decrypted).allMatch(ReceivedPush::vapidVerified);
        assertThat(received.stream().map(ReceivedPush::vapidToken).distinct()).hasSize(1);
    }

    /** Proves the fake's decryption against a third implementation: webpush-java's own request. */
    @Test
    void decryptsTheRequestWebpushJavaPrepares() throws Exception {
        Subscriber subscriber = server.subscribe();
        PushService webpushJava = new PushService(PAIR.publicKey(), PAIR.privateKey(), SUBJECT);
        HttpPost post = webpushJava.preparePost(new Notification(new Subscription(subscriber.endpoint(),
                new Subscription.Keys(subscriber.p256dh(), subscriber.auth())), "Grüße aus webpush-java"),
                Encoding.AES128GCM);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(subscriber.endpoint()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(EntityUtils.toByteArray(post.getEntity())));
        for (Header header : post.getAllHeaders()) {
            if (!Set.of("content-length", "host").contains(header.getName().toLowerCase())) {
                request.header(header.getName(), header.getValue());
            }
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            assertThat(client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(201);
        }

        ReceivedPush received = server.received(subscriber).getFirst();
        assertThat(received.plaintext()).isEqualTo("Grüße aus webpush-java");
        // webpush-java drops the port from aud, so a push service on a non-default port refuses its JWT.
        assertThat(received.vapidProblem()).startsWith("aud http://127.0.0.1 is not");
    }

    @ParameterizedTest
    @CsvSource({ "200, Accepted", "201, Accepted", "202, Accepted", "404, UNREGISTERED", "410, UNREGISTERED",
            "413, PAYLOAD_TOO_LARGE", "401, CREDENTIAL_REJECTED", "403, CREDENTIAL_REJECTED",
            "400, PROVIDER_REJECTED", "418, PROVIDER_REJECTED", "301, PROVIDER_REJECTED", "429, Deferred",
            "500, Deferred", "502, Deferred", "503, Deferred" })
    void mapsEveryStatusToOneOutcome(int status, String expected) {
        Delivery delivery = WebPushProvider.outcome(status, "", null, null, Clock.systemUTC());

        String actual = switch (delivery) {
            case Delivery.Accepted a -> "Accepted";
            case Delivery.Deferred d -> "Deferred";
            case Delivery.Rejected r -> r.code().name();
        };
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDateAndIgnoresGarbage() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

        assertThat(WebPushProvider.retryAfter("120", clock)).isEqualTo(Duration.ofSeconds(120));
        assertThat(WebPushProvider.retryAfter("Thu, 01 Jan 2026 00:01:30 GMT", clock))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(WebPushProvider.retryAfter("Wed, 31 Dec 2025 23:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
        assertThat(WebPushProvider.retryAfter("soon", clock)).isNull();
        assertThat(WebPushProvider.retryAfter("-5", clock)).isNull();
        assertThat(WebPushProvider.retryAfter(null, clock)).isNull();
    }

    private static WebPushSubscription address(Subscriber subscriber) {
        return WebPushSubscription.parse(subscriber.endpoint(), subscriber.p256dh(), subscriber.auth());
    }

    private static Push dataPush(String title, Instant expiresAt) {
        DataContent content = new DataContent(title, "body", null, null, null, null, 1, null, null, null, List.of(),
                null, null, null);
        return new Push(UUID.randomUUID(), UUID.randomUUID(), "user-1", content, expiresAt);
    }
}
