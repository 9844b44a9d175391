package io.pushcore.testing.webpush;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A browser push service on {@code http://127.0.0.1:<port>} for many subscribers at once. Each
 * {@link Subscriber} has its own P-256 key pair and auth secret, like a browser's {@code PushSubscription}, and a
 * scripted sequence of replies (default: 201 with a {@code Location}). Every request is recorded as a
 * {@link ReceivedPush} with the payload decrypted (RFC 8291/8188) and the VAPID JWT checked (RFC 8292: ES256 with
 * the {@code k=} key, {@code aud} = this server's origin, {@code exp} in the future and at most 24 h ahead,
 * {@code sub} mailto: or https:), all with JDK crypto only. Requests are served on virtual threads.
 */
public final class FakeWebPushServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final ECParameterSpec P256 = p256();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final List<ReceivedPush> received = new ArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicLong nextMessage = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private volatile String expectedVapidKey;

    public FakeWebPushServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/push/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}: what a VAPID {@code aud} must say for {@link #subscribe()}'s endpoints. */
    public String origin() {
        return origin("127.0.0.1");
    }

    private String origin(String host) {
        return "http://" + host + ":" + server.getAddress().getPort();
    }

    /** A new subscriber with fresh keys, answering 201 until told otherwise. */
    public Subscriber subscribe() {
        return subscribeAt("127.0.0.1");
    }

    /**
     * A new subscriber whose endpoint names {@code host} (which the test must resolve to loopback), as a real push
     * service's host does; its VAPID {@code aud} must be {@code http://<host>:<port>}.
     */
    public Subscriber subscribeAt(String host) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            byte[] auth = new byte[16];
            random.nextBytes(auth);
            Subscriber subscriber = new Subscriber("s" + nextId.incrementAndGet(), host, generator.generateKeyPair(),
                    auth);
            subscribers.put(subscriber.id(), subscriber);
            return subscriber;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh VAPID key pair as the base64url strings {@code web-push generate-vapid-keys} prints. */
    public static VapidKeyStrings newVapidKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            byte[] d = new byte[32];
            copy(((ECPrivateKey) pair.getPrivate()).getS(), d, 0);
            return new VapidKeyStrings(B64.encodeToString(uncompressed(pair.getPublic())), B64.encodeToString(d));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A VAPID key pair in the form a customer puts into a {@code vapid} credential. */
    public record VapidKeyStrings(String publicKey, String privateKey) {
    }

    /** From now on a VAPID token only verifies when its {@code k=} is this key (base64url). */
    public void expectVapidPublicKey(String publicKeyBase64Url) {
        this.expectedVapidKey = publicKeyBase64Url;
    }

    public List<ReceivedPush> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public List<ReceivedPush> received(Subscriber subscriber) {
        return received().stream().filter(p -> p.subscriberId().equals(subscriber.id())).toList();
    }

    /** Waits until at least {@code count} requests arrived and returns all of them. */
    public List<ReceivedPush> awaitCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (received.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " pushes, got " + received.size());
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    /** The most requests this server ever had open at once: evidence that a sender fans out. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            respond(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    values.getFirst()));
            String id = exchange.getRequestURI().getPath().substring("/push/".length());
            Subscriber subscriber = subscribers.get(id);
            if (subscriber == null || !exchange.getRequestMethod().equals("POST")) {
                record(new ReceivedPush(id, headers, 404, null, "no such subscription", null, null, null));
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Reply reply = subscriber.nextReply();
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            String plaintext = null;
            String decryptionProblem = null;
            try {
                plaintext = subscriber.decrypt(headers.get("content-encoding"), body);
            } catch (GeneralSecurityException | RuntimeException e) {
                decryptionProblem = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            Vapid vapid = verifyVapid(headers.get("authorization"), origin(subscriber.host));
            // Recorded before answering, so a client that has its answer always finds the request recorded.
            record(new ReceivedPush(id, headers, reply.status(), plaintext, decryptionProblem, vapid.token(),
                    vapid.publicKey(), vapid.problem()));
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            if (reply.status() / 100 == 2) {
                exchange.getResponseHeaders().add("Location", origin() + "/message/" + nextMessage.incrementAndGet());
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        }
    }

    private void record(ReceivedPush push) {
        synchronized (received) {
            received.add(push);
            received.notifyAll();
        }
    }

    private record Vapid(String token, String publicKey, String problem) {
    }

    private Vapid verifyVapid(String authorization, String audience) {
        if (authorization == null || !authorization.regionMatches(true, 0, "vapid ", 0, 6)) {
            return new Vapid(null, null, "no 'vapid' Authorization header");
        }
        String token = null;
        String key = null;
        for (String part : authorization.substring(6).split(",")) {
            String p = part.strip();
            if (p.startsWith("t=")) {
                token = p.substring(2);
            } else if (p.startsWith("k=")) {
                key = p.substring(2);
            }
        }
        if (token == null || key == null) {
            return new Vapid(token, key, "Authorization lacks t= or k=");
        }
        return new Vapid(token, key, jwtProblem(token, key, audience));
    }

    private String jwtProblem(String token, String key, String audience) {
        String expected = expectedVapidKey;
        if (expected != null && !expected.equals(key)) {
            return "k= is not the expected VAPID public key";
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return "JWT does not have three parts";
        }
        try {
            Base64.Decoder decoder = Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(decoder.decode(parts[0]));
            if (!"ES256".equals(header.path("alg").asText())) {
                return "JWT alg is not ES256";
            }
            Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
            es256.initVerify(publicKey(decoder.decode(key)));
            es256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!es256.verify(decoder.decode(parts[2]))) {
                return "JWT signature does not verify with k=";
            }
            JsonNode claims = JSON.readTree(decoder.decode(parts[1]));
            if (!audience.equals(claims.path("aud").asText())) {
                return "aud " + claims.path("aud").asText() + " is not " + audience;
            }
            long now = Instant.now().getEpochSecond();
            long exp = claims.path("exp").asLong(0);
            if (exp <= now || exp > now + 24 * 3600) {
                return "exp is not within the next 24 h";
            }
            String sub = claims.path("sub").asText("");
            if (!(sub.startsWith("mailto:") || sub.startsWith("https://"))) {
                return "sub is not a mailto: or https: URL";
            }
            return null;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return "JWT unreadable: " + e.getClass().getSimpleName();
        }
    }

    static ECPublicKey publicKey(byte[] uncompressed) throws GeneralSecurityException {
        if (uncompressed.length != 65 || uncompressed[0] != 0x04) {
            throw new GeneralSecurityException("not an uncompressed P-256 point");
        }
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, P256));
    }

    static byte[] uncompressed(PublicKey key) {
        ECPoint w = ((ECPublicKey) key).getW();
        byte[] out = new byte[65];
        out[0] = 0x04;
        copy(w.getAffineX(), out, 1);
        copy(w.getAffineY(), out, 33);
        return out;
    }

    private static void copy(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, offset + 32 - length, length);
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One scripted answer: status, extra headers, body, and how long to wait before answering. */
    public record Reply(int status, Map<String, String> headers, byte[] body, Duration delay) {

        public Reply {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(delay, "delay");
        }

        public static Reply status(int status) {
            return new Reply(status, Map.of(), new byte[0], Duration.ZERO);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, more, body, delay);
        }

        public Reply withRetryAfter(String value) {
            return withHeader("Retry-After", value);
        }

        public Reply withBody(String text) {
            return new Reply(status, headers, text.getBytes(StandardCharsets.UTF_8), delay);
        }

        public Reply after(Duration wait) {
            return new Reply(status, headers, body, wait);
        }
    }

    /** A browser's subscription at this push service, with the keys it would hand to the page. */
    public final class Subscriber {

        private final String id;
        private final String host;
        private final KeyPair keys;
        private final byte[] auth;
        private final List<Reply> script = new ArrayList<>(List.of(Reply.status(201)));
        private int next;

        private Subscriber(String id, String host, KeyPair keys, byte[] auth) {
            this.id = id;
            this.host = host;
            this.keys = keys;
            this.auth = auth;
        }

        public String id() {
            return id;
        }

        public String endpoint() {
            return origin(host) + "/push/" + id;
        }

        public String p256dh() {
            return B64.encodeToString(uncompressed(keys.getPublic()));
        }

        public String auth() {
            return B64.encodeToString(auth);
        }

        /** Answers the next requests with these statuses in order; the last one repeats. */
        public Subscriber respond(int... statuses) {
            return respond(Arrays.stream(statuses).mapToObj(Reply::status).toArray(Reply[]::new));
        }

        /** Answers the next requests with these replies in order; the last one repeats. */
        public synchronized Subscriber respond(Reply... replies) {
            if (replies.length == 0) {
                throw new IllegalArgumentException("at least one reply");
            }
            script.clear();
            script.addAll(List.of(replies));
            next = 0;
            return this;
        }

        /** Answers the next request with {@code status} and this {@code Retry-After} value, then 201. */
        public Subscriber respondRetryAfter(int status, String retryAfter) {
            return respond(Reply.status(status).withRetryAfter(retryAfter), Reply.status(201));
        }

        private synchronized Reply nextReply() {
            Reply reply = script.get(Math.min(next, script.size() - 1));
            next++;
            return reply;
        }

        private String decrypt(String contentEncoding, byte[] body) throws GeneralSecurityException {
            if (!"aes128gcm".equalsIgnoreCase(contentEncoding)) {
                throw new GeneralSecurityException("Content-Encoding is " + contentEncoding + ", not aes128gcm");
            }
            ByteBuffer in = ByteBuffer.wrap(body);
            byte[] salt = new byte[16];
            in.get(salt);
            int recordSize = in.getInt();
            byte[] keyId = new byte[in.get() & 0xFF];
            in.get(keyId);
            byte[] record = new byte[in.remaining()];
            in.get(record);
            if (record.length > recordSize) {
                throw new GeneralSecurityException("record larger than rs=" + recordSize);
            }

            KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
            ecdh.init(keys.getPrivate());
            ecdh.doPhase(publicKey(keyId), true);
            byte[] shared = ecdh.generateSecret();

            byte[] uaPublic = uncompressed(keys.getPublic());
            byte[] ikm = hkdf(auth, shared, concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic,
                    keyId), 32);
            byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
            byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);

            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
            byte[] padded = gcm.doFinal(record);
            int end = padded.length - 1;
            while (end >= 0 && padded[end] == 0) {
                end--;
            }
            if (end < 0 || padded[end] != 0x02) {
                throw new GeneralSecurityException("last record lacks the 0x02 delimiter");
            }
            return new String(padded, 0, end, StandardCharsets.UTF_8);
        }
    }

    private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return Arrays.copyOf(mac.doFinal(), length);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        Arrays.stream(parts).forEach(out::put);
        return out.array();
    }
}
