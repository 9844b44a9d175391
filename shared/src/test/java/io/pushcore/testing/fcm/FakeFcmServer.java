package io.pushcore.testing.fcm;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local FCM HTTP v1 endpoint on 127.0.0.1 (JDK HttpServer, HTTP/1.1) serving
 * {@code POST /v1/projects/{project}/messages:send}, plus the OAuth token endpoint that service accounts from
 * {@link #serviceAccountJson(String)} name as {@code token_uri}: the real JWT-bearer flow runs, the RS256
 * assertion is verified with the account's public key, and sends must carry an access token it issued.
 *
 * <p>
 * Every send is recorded (body and Authorization header). Replies are scripted per registration token
 * ({@link #script(String, Reply...)}); unscripted tokens succeed.
 */
public final class FakeFcmServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    // google-auth always addresses its JWT to Google's token endpoint, whatever the token_uri.
    private static final String GOOGLE_AUDIENCE = "https://oauth2.googleapis.com/token";
    private static final Pattern SEND_PATH = Pattern.compile("/v1/projects/([^/]+)/messages:send");

    /** One send as FCM received it. */
    public record Request(String projectId, String authorization, String body, String token) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A scripted answer to one send. */
    public record Reply(int status, String fcmStatus, String errorCode, String message, Duration retryAfter) {

        public static Reply success() {
            return new Reply(200, null, null, null, null);
        }

        public static Reply unregistered() {
            return new Reply(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.", null);
        }

        public static Reply invalidToken() {
            return new Reply(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT",
                    "The registration token is not a valid FCM registration token", null);
        }

        public static Reply invalidArgument(String message) {
            return new Reply(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", message, null);
        }

        public static Reply quotaExceeded(Duration retryAfter) {
            return new Reply(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded.", retryAfter);
        }

        public static Reply unavailable() {
            return new Reply(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable.", null);
        }

        public static Reply internal() {
            return new Reply(500, "INTERNAL", "INTERNAL", "Internal error encountered.", null);
        }

        public static Reply senderIdMismatch() {
            return new Reply(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch", null);
        }

        public static Reply thirdPartyAuthError() {
            return new Reply(401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", "Auth error from APNS or Web Push Service",
                    null);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, PublicKey> accounts = new ConcurrentHashMap<>();
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> assertions = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean recording = true;
    private volatile boolean refuseTokenRequests;

    private FakeFcmServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(executor);
        server.createContext("/token", this::token);
        server.createContext("/v1/", this::send);
        server.start();
    }

    public static FakeFcmServer start() {
        try {
            return new FakeFcmServer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake FCM server", e);
        }
    }

    /** What to pass as the provider's base URL. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * A complete service-account JSON for {@code projectId} with a fresh RSA key, whose {@code token_uri} is this
     * server.
     */
    public String serviceAccountJson(String projectId) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair keys = g.generateKeyPair();
            String email = "firebase-adminsdk@" + projectId + ".iam.gserviceaccount.com";
            accounts.put(email, keys.getPublic());
            ObjectNode json = JSON.createObjectNode()
                    .put("type", "service_account")
                    .put("project_id", projectId)
                    .put("private_key_id", "k" + sequence.incrementAndGet())
                    .put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded())
                            + "\n-----END PRIVATE KEY-----\n")
                    .put("client_email", email)
                    .put("client_id", "1234567890")
                    .put("auth_uri", "https://accounts.google.com/o/oauth2/auth")
                    .put("token_uri", baseUrl() + "/token");
            return JSON.writeValueAsString(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next sends to {@code token} get these replies, one each; afterwards it succeeds. */
    public void script(String token, Reply... replies) {
        Deque<Reply> script = scripts.computeIfAbsent(token, t -> new ArrayDeque<>());
        synchronized (script) {
            script.addAll(List.of(replies));
        }
    }

    /** Delays every send answer (to measure concurrency). */
    public void latency(Duration delay) {
        this.latency = delay;
    }

    /** Stops recording request bodies (for throughput runs). */
    public void recording(boolean on) {
        this.recording = on;
    }

    /** Makes the token endpoint answer {@code invalid_grant}, as Google does for a deleted key. */
    public void refuseTokenRequests(boolean refuse) {
        this.refuseTokenRequests = refuse;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requestsFor(String token) {
        return requests.stream().filter(r -> token.equals(r.token())).toList();
    }

    /** The verified JWT assertions the token endpoint received. */
    public List<String> tokenAssertions() {
        return List.copyOf(assertions);
    }

    /** The most sends that were in progress at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = new HashMap<>();
        for (String pair : read(exchange.getRequestBody()).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String assertion = form.get("assertion");
        if (refuseTokenRequests || !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))
                || assertion == null || !verified(assertion)) {
            reply(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}",
                    null);
            return;
        }
        assertions.add(assertion);
        String accessToken = "ya29.fake-" + sequence.incrementAndGet();
        issuedTokens.add(accessToken);
        reply(exchange, 200, "{\"access_token\":\"" + accessToken + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}",
                null);
    }

    private boolean verified(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(b64.decode(parts[0]));
            JsonNode claims = JSON.readTree(b64.decode(parts[1]));
            PublicKey key = accounts.get(claims.path("iss").asText());
            if (key == null || !"RS256".equals(header.path("alg").asText())
                    || !Set.of(GOOGLE_AUDIENCE, baseUrl() + "/token").contains(claims.path("aud").asText())
                    || claims.path("scope").asText().isBlank()) {
                return false;
            }
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return s.verify(b64.decode(parts[2]));
        } catch (Exception e) {
            return false;
        }
    }

    private void send(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            Matcher path = SEND_PATH.matcher(exchange.getRequestURI().getPath());
            String body = read(exchange.getRequestBody());
            if (!path.matches() || !"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 404, "{\"error\":{\"code\":404,\"message\":\"not found\",\"status\":\"NOT_FOUND\"}}",
                        null);
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String token = JSON.readTree(body).path("message").path("token").asText(null);
            if (recording) {
                requests.add(new Request(path.group(1), authorization, body, token));
            }
            if (!latency.isZero()) {
                Thread.sleep(latency);
            }
            if (authorization == null || !issuedTokens.contains(authorization.replaceFirst("^Bearer ", ""))) {
                reply(exchange, 401, error(new Reply(401, "UNAUTHENTICATED", null,
                        "Request had invalid authentication credentials.", null)), null);
                return;
            }
            Reply r = next(token);
            if (r.status() == 200) {
                reply(exchange, 200, "{\"name\":\"projects/" + path.group(1) + "/messages/0:" + sequence.incrementAndGet()
                        + "\"}", null);
            } else {
                reply(exchange, r.status(), error(r), r.retryAfter());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Reply next(String token) {
        Deque<Reply> script = token == null ? null : scripts.get(token);
        if (script == null) {
            return Reply.success();
        }
        synchronized (script) {
            Reply r = script.poll();
            return r == null ? Reply.success() : r;
        }
    }

    private static String error(Reply r) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode e = error.putObject("error").put("code", r.status()).put("message", r.message())
                .put("status", r.fcmStatus());
        if (r.errorCode() != null) {
            e.putArray("details").addObject()
                    .put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError")
                    .put("errorCode", r.errorCode());
        }
        return JSON.writeValueAsString(error);
    }

    private static void reply(HttpExchange exchange, int status, String body, Duration retryAfter)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", String.valueOf(retryAfter.toSeconds()));
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
