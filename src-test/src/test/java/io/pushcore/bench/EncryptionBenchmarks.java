package io.pushcore.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.apache.http.client.methods.HttpPost;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jose4j.lang.JoseException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.pushcore.provider.webpush.WebPushEncryption;
import io.pushcore.testing.webpush.FakeWebPushServer;
import nl.martijndwars.webpush.Encoding;
import nl.martijndwars.webpush.Notification;
import nl.martijndwars.webpush.PushService;
import nl.martijndwars.webpush.Subscription;

/** One web push message each: the same subscriber and a 200-byte CORE-shaped payload for both contenders. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EncryptionBenchmarks {

    static final String PAYLOAD_TEXT = ("{\"title\":\"Hello from pushcore\",\"body\":\"benchmark\",\"data\":{\"contextId\":"
            + "\"0b6c3f9e-4a37-4c1e-9d2f-6a1b2c3d4e5f\",\"messageId\":\"7d3e1f20-8c4b-4f6a-9e1d-2b3c4d5e6f70\","
            + "\"foreignId\":\"user-42\",\"actionsMap\":{\"default\":\"https://example.com\"}}}");
    static final byte[] PAYLOAD = PAYLOAD_TEXT.getBytes(StandardCharsets.UTF_8);

    private PushService pushService;
    private Subscription subscription;
    private WebPushEncryption encryption;
    private byte[] p256dh;
    private byte[] auth;

    @Setup
    public void setUp() throws GeneralSecurityException {
        Security.addProvider(new BouncyCastleProvider());
        try (FakeWebPushServer keys = new FakeWebPushServer()) {
            FakeWebPushServer.Subscriber subscriber = keys.subscribe();
            FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
            pushService = new PushService(vapid.publicKey(), vapid.privateKey(), "mailto:bench@example.com");
            subscription = new Subscription("https://push.example.com/push/" + subscriber.id(),
                    new Subscription.Keys(subscriber.p256dh(), subscriber.auth()));
            p256dh = Base64.getUrlDecoder().decode(subscriber.p256dh());
            auth = Base64.getUrlDecoder().decode(subscriber.auth());
        }
        encryption = new WebPushEncryption();
    }

    /** webpush-java as its README uses it: a Notification per message, then preparePost (keys, ECE, new JWT). */
    @Benchmark
    public HttpPost webpushJavaPreparePost() throws GeneralSecurityException, JoseException, java.io.IOException {
        return pushService.preparePost(new Notification(subscription, PAYLOAD_TEXT), Encoding.AES128GCM);
    }

    @Benchmark
    public byte[] pushcoreEncrypt() {
        return encryption.encrypt(PAYLOAD, p256dh, auth);
    }
}
