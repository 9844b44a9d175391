package io.pushcore.testing.webpush;

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
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pushcore.provider.webpush.VapidKeys;
import io.pushcore.provider.webpush.VapidTokens;
import io.pushcore.provider.webpush.WebPushEncryption;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;

/** The oracle must refuse what a real push service or browser would refuse, or its green results mean nothing. */
class FakeWebPushServerTest {

    private static final FakeWebPushServer.VapidKeyStrings PAIR = FakeWebPushServer.newVapidKeys();
    private static final VapidKeys KEYS = VapidKeys.parse(PAIR.publicKey(), PAIR.privateKey());

    private final FakeWebPushServer server = new FakeWebPushServer();
    private final HttpClient client = HttpClient.newHttpClient();
    private final WebPushEncryption encryption = new WebPushEncryption();

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    @Test
    void acceptsAWellFormedPush() throws Exception {
        Subscriber subscriber = server.subscribe();

        int status = post(subscriber.endpoint(), encrypt("hi", subscriber), tokens(Clock.systemUTC())
                .authorization(URI.create(subscriber.endpoint())));

        ReceivedPush push = server.received(subscriber).getFirst();
        assertThat(status).isEqualTo(201);
        assertThat(push.plaintext()).isEqualTo("hi");
        assertThat(push.vapidVerified()).isTrue();
    }

    @Test
    void flagsAPayloadEncryptedForAnotherSubscriber() throws Exception {
        Subscriber intended = server.subscribe();
        Subscriber other = server.subscribe();

        post(other.endpoint(), encrypt("hi", intended), authorization(other));

        ReceivedPush push = server.received(other).getFirst();
        assertThat(push.decrypted()).isFalse();
        assertThat(push.decryptionProblem()).isNotBlank();
    }

    @Test
    void flagsATokenForAnotherOrigin() throws Exception {
        Subscriber subscriber = server.subscribe();

        post(subscriber.endpoint(), encrypt("hi", subscriber),
                tokens(Clock.systemUTC()).authorization(URI.create("https://push.example.com/x")));

        assertThat(server.received(subscriber).getFirst().vapidProblem())
                .isEqualTo("aud https://push.example.com is not " + server.origin());
    }

    @Test
    void flagsAnExpiredToken() throws Exception {
        Subscriber subscriber = server.subscribe();
        Clock yesterday = Clock.fixed(Instant.now().minus(Duration.ofHours(13)), ZoneOffset.UTC);

        post(subscriber.endpoint(), encrypt("hi", subscriber),
                tokens(yesterday).authorization(URI.create(subscriber.endpoint())));

        assertThat(server.received(subscriber).getFirst().vapidProblem())
                .isEqualTo("exp is not within the next 24 h");
    }

    @Test
    void flagsATokenSignedWithAnotherKey() throws Exception {
        Subscriber subscriber = server.subscribe();
        String header = authorization(subscriber);
        String otherKey = FakeWebPushServer.newVapidKeys().publicKey();

        post(subscriber.endpoint(), encrypt("hi", subscriber), header.replace(PAIR.publicKey(), otherKey));

        assertThat(server.received(subscriber).getFirst().vapidProblem())
                .isEqualTo("JWT signature does not verify with k=");
    }

    @Test
    void flagsAValidTokenOfAnUnexpectedKey() throws Exception {
        Subscriber subscriber = server.subscribe();
        server.expectVapidPublicKey(FakeWebPushServer.newVapidKeys().publicKey());

        post(subscriber.endpoint(), encrypt("hi", subscriber), authorization(subscriber));

        assertThat(server.received(subscriber).getFirst().vapidVerified()).isFalse();
    }

    @Test
    void answersScriptedStatusesInOrderAndRepeatsTheLast() throws Exception {
        Subscriber subscriber = server.subscribe().respond(500, 410);

        assertThat(post(subscriber.endpoint(), encrypt("1", subscriber), authorization(subscriber))).isEqualTo(500);
        assertThat(post(subscriber.endpoint(), encrypt("2", subscriber), authorization(subscriber))).isEqualTo(410);
        assertThat(post(subscriber.endpoint(), encrypt("3", subscriber), authorization(subscriber))).isEqualTo(410);
        assertThat(server.received(subscriber)).extracting(ReceivedPush::status).containsExactly(500, 410, 410);
    }

    @Test
    void answers404ForAnUnknownSubscription() throws Exception {
        Subscriber subscriber = server.subscribe();

        int status = post(server.origin() + "/push/nobody", encrypt("hi", subscriber), authorization(subscriber));

        assertThat(status).isEqualTo(404);
        assertThat(server.received()).extracting(ReceivedPush::subscriberId).containsExactly("nobody");
    }

    private String authorization(Subscriber subscriber) {
        return tokens(Clock.systemUTC()).authorization(URI.create(subscriber.endpoint()));
    }

    private static VapidTokens tokens(Clock clock) {
        return new VapidTokens(KEYS, "mailto:ops@example.com", clock);
    }

    private byte[] encrypt(String text, Subscriber subscriber) {
        Base64.Decoder decoder = Base64.getUrlDecoder();
        return encryption.encrypt(text.getBytes(StandardCharsets.UTF_8), decoder.decode(subscriber.p256dh()),
                decoder.decode(subscriber.auth()));
    }

    private int post(String endpoint, byte[] body, String authorization) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint))
                .header("Content-Encoding", "aes128gcm")
                .header("TTL", "60")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
