package io.pushcore.testing.apns;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.AcceptAllPushNotificationHandlerFactory;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.PushNotificationHandlerFactory;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.pushcore.provider.apns.ApnsCredentials;
import io.pushcore.provider.apns.ApnsProvider;

/**
 * A local APNs: pushy's {@link MockApnsServer} on 127.0.0.1 over TLS, with a generated CA, a server certificate
 * for {@code localhost}, and one generated P-256 signing key ({@link #TEAM_ID}/{@link #KEY_ID}) it verifies like
 * APNs. Clients may also authenticate with certificates issued by {@link #issueClientCertificate}.
 *
 * <p>
 * It validates like APNs (token format, token per topic, expired tokens, provider JWT) unless started with
 * {@link #startAcceptingAll()}, records what it received, and can replay scripted rejections per device token.
 * Netty shuts down slowly: share one server per test class.
 */
public final class FakeApnsServer implements AutoCloseable {

    public static final String TEAM_ID = "TEAM123456";
    public static final String KEY_ID = "KEY1234567";

    /** One notification as APNs received it: lower-case headers (pseudo-headers included) and the JSON body. */
    public record Received(Map<String, String> headers, String payload, String rejection) {

        public String token() {
            return headers.get(":path").substring("/3/device/".length());
        }
    }

    private final KeyPair caKeys = TestPki.ecP256();
    private final X509Certificate ca = TestPki.selfSignedCa("CN=pushcore test CA", caKeys);
    private final KeyPair signingKeys = TestPki.ecP256();
    private final Map<String, Set<String>> tokensByTopic = new ConcurrentHashMap<>();
    private final Map<String, Instant> expired = new ConcurrentHashMap<>();
    private final Map<String, Deque<RejectedNotificationException>> scripts = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch held;
    private final boolean recording;
    private final MockApnsServer server;
    private final int port;

    private FakeApnsServer(boolean validating, boolean recording, Set<String> topics) throws Exception {
        this.recording = recording;
        KeyPair serverKeys = TestPki.ecP256();
        X509Certificate serverCert = TestPki.issue("CN=localhost", serverKeys.getPublic(), ca, caKeys.getPrivate(),
                Instant.now().minusSeconds(3600), Instant.now().plusSeconds(86_400), "localhost", "127.0.0.1");
        PushNotificationHandlerFactory inner;
        if (validating) {
            ApnsVerificationKey key = new ApnsVerificationKey(KEY_ID, TEAM_ID, (ECPublicKey) signingKeys.getPublic());
            topics.forEach(t -> tokensByTopic.put(t, ConcurrentHashMap.newKeySet()));
            inner = new ValidatingPushNotificationHandlerFactory(tokensByTopic, expired, Map.of(KEY_ID, key),
                    Map.of(key, Set.copyOf(topics)));
        } else {
            inner = new AcceptAllPushNotificationHandlerFactory();
        }
        MockApnsServerBuilder builder = new MockApnsServerBuilder()
                .setServerCredentials(new X509Certificate[] { serverCert }, serverKeys.getPrivate(), null)
                .setTrustedClientCertificateChain(new ByteArrayInputStream(
                        TestPki.pem(ca).getBytes(StandardCharsets.US_ASCII)))
                .setHandlerFactory(session -> scripted(inner.buildHandler(session)));
        if (recording) {
            builder.setListener(new Recorder());
        }
        this.server = builder.build();
        this.port = server.start(0).get();
    }

    /** A validating server whose signing key may send to {@code topics}. */
    public static FakeApnsServer start(String... topics) {
        try {
            return new FakeApnsServer(true, true, Set.of(topics));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake APNs server", e);
        }
    }

    /** A server that accepts everything and records nothing (for throughput runs). */
    public static FakeApnsServer startAcceptingAll() {
        try {
            return new FakeApnsServer(false, false, Set.of());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake APNs server", e);
        }
    }

    private PushNotificationHandler scripted(PushNotificationHandler inner) {
        return (headers, payload) -> {
            CountDownLatch hold = held;
            if (hold != null) {
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            inner.handlePushNotification(headers, payload);
            CharSequence path = headers.path();
            Deque<RejectedNotificationException> script = path == null ? null
                    : scripts.get(path.toString().substring(path.toString().lastIndexOf('/') + 1));
            if (script != null) {
                RejectedNotificationException next;
                synchronized (script) {
                    next = script.poll();
                }
                if (next != null) {
                    throw next;
                }
            }
        };
    }

    /**
     * Until the returned hold is closed the server answers nothing (its event loop waits in the handler), so the
     * notifications sent meanwhile stay in flight.
     */
    public AutoCloseable holdAnswers() {
        CountDownLatch hold = new CountDownLatch(1);
        held = hold;
        return () -> {
            held = null;
            hold.countDown();
        };
    }

    public int port() {
        return port;
    }

    /** The CA that signed the server certificate (and the client certificates): trust this in the client. */
    public X509Certificate certificateAuthority() {
        return ca;
    }

    /** Client options pointing at this server and trusting its CA. */
    public ApnsProvider.Options options() {
        return ApnsProvider.Options.DEFAULT.withServer("localhost", port).withTrustedServerCertificates(ca);
    }

    /** The {@code .p8} text of the signing key this server trusts. */
    public String signingKeyPem() {
        return TestPki.pem(signingKeys.getPrivate());
    }

    public ECPrivateKey signingKey() {
        return (ECPrivateKey) signingKeys.getPrivate();
    }

    /** Token credentials for this server's key with the given topics (either may be null). */
    public ApnsCredentials.Token tokenCredentials(String appBundleId, String websitePushId) {
        return ApnsCredentials.Token.parse(TEAM_ID, KEY_ID, signingKeyPem(), false, appBundleId, websitePushId);
    }

    /** A client certificate and key (RSA, as Apple issues them) for {@code topic}, which it carries as its UID. */
    public record ClientIdentity(X509Certificate certificate, PrivateKey key) {
    }

    public ClientIdentity issueClientCertificate(String topic, Instant notAfter) {
        KeyPair keys = TestPki.rsa2048();
        X509Certificate cert = TestPki.issue("UID=" + topic + ",CN=Apple Push Services: " + topic + ",C=US",
                keys.getPublic(), ca, caKeys.getPrivate(), Instant.now().minusSeconds(3600), notAfter);
        return new ClientIdentity(cert, keys.getPrivate());
    }

    /** Lets {@code tokens} receive pushes for {@code topic}. */
    public void register(String topic, String... tokens) {
        tokensByTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).addAll(List.of(tokens));
    }

    /** Makes {@code token} answer 410 Unregistered with {@code since} as the invalidation timestamp. */
    public void unregister(String topic, String token, Instant since) {
        register(topic, token);
        expired.put(token, since);
    }

    /** The next sends to {@code token} get these rejections, one each, then the normal answer. */
    public void script(String token, RejectionReason... reasons) {
        Deque<RejectedNotificationException> script = scripts.computeIfAbsent(token, t -> new ArrayDeque<>());
        synchronized (script) {
            for (RejectionReason r : reasons) {
                script.add(r == RejectionReason.UNREGISTERED ? new UnregisteredDeviceTokenException(Instant.now())
                        : new RejectedNotificationException(r));
            }
        }
    }

    /** Everything received so far, in arrival order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> receivedFor(String token) {
        return received.stream().filter(r -> r.token().equals(token)).toList();
    }

    @Override
    public void close() {
        try {
            server.shutdown().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Recorder implements MockApnsServerListener {

        @Override
        public void handlePushNotificationAccepted(Http2Headers headers, ByteBuf payload) {
            record(headers, payload, null);
        }

        @Override
        public void handlePushNotificationRejected(Http2Headers headers, ByteBuf payload, RejectionReason reason,
                Instant deviceTokenExpirationTimestamp) {
            record(headers, payload, reason.name());
        }

        private void record(Http2Headers headers, ByteBuf payload, String rejection) {
            if (!recording) {
                return;
            }
            Map<String, String> h = new LinkedHashMap<>();
            headers.forEach(e -> h.put(e.getKey().toString().toLowerCase(Locale.ROOT), e.getValue().toString()));
            received.add(new Received(h, payload == null ? null : payload.toString(StandardCharsets.UTF_8),
                    rejection));
        }
    }
}
