package io.pushcore.testing.hms;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * A local Huawei Push Kit (server API v1) on 127.0.0.1 (JDK HttpServer, HTTP/1.1):
 * {@code POST /v1/{appId}/messages:send} and the OAuth 2.0 client-credentials endpoint
 * {@code POST /oauth2/v3/token}, for the apps it {@linkplain #register registered}. A send must carry a Bearer
 * token the endpoint issued to that same app, and a well-formed body: {@code message.token} an array of 1 to 1000
 * strings, {@code message.data} a string holding a JSON object, {@code message.android.ttl} like {@code "3600s"}
 * within 15 days, at most 4096 bytes without the tokens; otherwise it answers as Push Kit does (401 80200001,
 * 400 80100003, 80300008…).
 *
 * <p>
 * Every send and token request is recorded. Replies are scripted per token ({@link #script}); unscripted tokens
 * are taken. {@link #revokeAccessTokens()} makes every issued token answer 80200003, as an expired one does.
 */
public final class FakeHmsServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SEND_PATH = Pattern.compile("/v1/([^/]+)/messages:send");
    private static final Pattern TTL = Pattern.compile("(\\d{1,7})s");
    private static final int MAX_BYTES = 4096;
    private static final long MAX_TTL_SECONDS = Duration.ofDays(15).toSeconds();

    /** One send as Push Kit received it. */
    public record Request(String appId, String authorization, String contentType, String body, List<String> tokens) {

        public JsonNode json() {
            return tree(body);
        }

        /** {@code message.data}, parsed: what the device's {@code RemoteMessage.getData()} holds. */
        public JsonNode data() {
            return tree(json().path("message").path("data").asText());
        }
    }

    /** One request to the token endpoint: the form fields, the secret left out. */
    public record TokenRequest(String grantType, String clientId, boolean secretMatched) {
    }

    /** A scripted answer for one token. */
    public enum Reply {
        /** Taken (80000000). */
        SUCCESS,
        /** The token is not valid for the app: 80300007 when no token of the message is valid, else 80100000. */
        INVALID_TOKEN,
        /** HTTP 503 flow control, Retry-After 1 s. */
        FLOW_CONTROL,
        /** HTTP 500, 81000001. */
        INTERNAL_ERROR,
        /** 80300002: the app may not send (Push Kit not enabled). */
        NO_PERMISSION,
        /** HTTP 401, 80200003, and the access token it came with is revoked. */
        ACCESS_TOKEN_EXPIRED
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, String> issued = new ConcurrentHashMap<>();
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration tokenLatency = Duration.ZERO;
    private volatile long tokenLifetimeSeconds = 3600;
    private volatile boolean recording = true;
    private volatile int tokenEndpointStatus = 200;

    private FakeHmsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(executor);
        server.createContext("/oauth2/v3/token", this::token);
        server.createContext("/v1/", this::send);
        server.start();
    }

    public static FakeHmsServer start() {
        try {
            return new FakeHmsServer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Push Kit server", e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** What an {@code hms} credential names as {@code pushUrl}. */
    public URI pushUrl() {
        return URI.create(baseUrl() + "/v1");
    }

    /** What an {@code hms} credential names as {@code authUrl}. */
    public URI authUrl() {
        return URI.create(baseUrl() + "/oauth2/v3/token");
    }

    /** Registers {@code appId} with a fresh secret and returns the secret. */
    public String register(String appId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String hex = HexFormat.of().formatHex(secret);
        secrets.put(appId, hex);
        return hex;
    }

    /** The payload of an {@code hms} credential for a newly {@linkplain #register registered} app. */
    public Map<String, Object> credential(String appId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("appId", appId);
        payload.put("appSecret", register(appId));
        payload.put("pushUrl", pushUrl().toString());
        payload.put("authUrl", authUrl().toString());
        return payload;
    }

    /** The next sends to {@code token} get these replies, one each; afterwards it is taken. */
    public void script(String token, Reply... replies) {
        Deque<Reply> script = scripts.computeIfAbsent(token, t -> new ArrayDeque<>());
        synchronized (script) {
            script.addAll(List.of(replies));
        }
    }

    /** Every access token issued so far answers 80200003 from now on. */
    public void revokeAccessTokens() {
        issued.clear();
    }

    /** The {@code expires_in} of tokens issued from now on. */
    public void tokenLifetime(Duration lifetime) {
        this.tokenLifetimeSeconds = lifetime.toSeconds();
    }

    /** The token endpoint answers this status (503: unavailable; 400: the app's secret is refused). */
    public void tokenEndpointStatus(int status) {
        this.tokenEndpointStatus = status;
    }

    /** Delays every send answer. */
    public void latency(Duration delay) {
        this.latency = delay;
    }

    /** Delays every token answer. */
    public void tokenLatency(Duration delay) {
        this.tokenLatency = delay;
    }

    /** Stops recording sends (for throughput runs). */
    public void recording(boolean on) {
        this.recording = on;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requestsFor(String token) {
        return requests.stream().filter(r -> r.tokens().contains(token)).toList();
    }

    public List<TokenRequest> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    public long tokenRequests(String appId) {
        return tokenRequests.stream().filter(r -> appId.equals(r.clientId())).count();
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
        try {
            Map<String, String> form = form(read(exchange.getRequestBody()));
            String appId = form.get("client_id");
            String secret = appId == null ? null : secrets.get(appId);
            boolean matched = secret != null && secret.equals(form.get("client_secret"));
            tokenRequests.add(new TokenRequest(form.get("grant_type"), appId, matched));
            sleep(tokenLatency);
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (tokenEndpointStatus >= 500) {
                reply(exchange, tokenEndpointStatus, "{\"error\":1203,\"error_description\":\"server busy\"}", null);
            } else if (tokenEndpointStatus != 200 || !matched || type == null
                    || !type.startsWith("application/x-www-form-urlencoded")
                    || !"client_credentials".equals(form.get("grant_type"))) {
                reply(exchange, 400, "{\"error\":1101,\"sub_error\":20186,\"error_description\":\"invalid client\"}",
                        null);
            } else {
                String accessToken = "hms-at-" + sequence.incrementAndGet() + "-" + appId;
                issued.put(accessToken, appId);
                reply(exchange, 200, "{\"access_token\":\"" + accessToken + "\",\"expires_in\":"
                        + tokenLifetimeSeconds + ",\"token_type\":\"Bearer\"}", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            Matcher path = SEND_PATH.matcher(exchange.getRequestURI().getPath());
            String body = read(exchange.getRequestBody());
            if (!path.matches() || !"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 404, "{\"code\":\"80100001\",\"msg\":\"not found\"}", null);
                return;
            }
            String appId = path.group(1);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            JsonNode json = tree(body);
            List<String> tokens = new ArrayList<>();
            json.path("message").path("token").forEach(t -> tokens.add(t.asText()));
            if (recording) {
                requests.add(new Request(appId, authorization, contentType, body, List.copyOf(tokens)));
            }
            sleep(latency);
            String accessToken = authorization == null ? null : authorization.replaceFirst("^Bearer ", "");
            if (accessToken == null || !authorization.startsWith("Bearer ")) {
                reply(exchange, 401, result("80200001", "Oauth authentication error"), null);
                return;
            }
            if (!appId.equals(issued.get(accessToken))) {
                reply(exchange, 401, result(accessToken.endsWith("-" + appId) ? "80200003" : "80200001",
                        "Oauth token expired or not issued to this app"), null);
                return;
            }
            String problem = problem(contentType, json, tokens);
            if (problem != null) {
                reply(exchange, 400, result(problem.substring(0, 8), problem.substring(9)), null);
                return;
            }
            answer(exchange, accessToken, tokens);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** {@code "<code> <reason>"} when the message is not what Push Kit takes, else null. */
    private static String problem(String contentType, JsonNode json, List<String> tokens) {
        if (contentType == null || !contentType.startsWith("application/json")) {
            return "80100001 Content-Type must be application/json";
        }
        JsonNode message = json.path("message");
        if (!json.isObject() || !message.isObject() || json.path("validate_only").asBoolean(false)) {
            return "80100003 Illegal message structure";
        }
        if (!message.path("token").isArray() || tokens.isEmpty() || tokens.size() > 1000
                || tokens.stream().anyMatch(String::isBlank)) {
            return "80300010 The number of tokens in the message body exceeds the default value";
        }
        if (message.has("topic") || message.has("condition") || message.has("notification")) {
            return "80100003 Illegal message structure: a data message to tokens only";
        }
        JsonNode data = tree(message.path("data").asText(""));
        if (!message.path("data").isTextual() || !data.isObject()) {
            return "80100003 Illegal message structure: data must be a JSON object in a string";
        }
        JsonNode notification = message.path("android").path("notification");
        if (!notification.isMissingNode() && !notification.path("click_action").path("type").isInt()) {
            return "80100003 Illegal message structure: android.notification needs click_action.type";
        }
        Matcher ttl = TTL.matcher(message.path("android").path("ttl").asText("86400s"));
        if (!ttl.matches() || Long.parseLong(ttl.group(1)) > MAX_TTL_SECONDS || Long.parseLong(ttl.group(1)) < 1) {
            return "80100004 Illegal ttl";
        }
        ObjectNode withoutTokens = json.deepCopy();
        ((ObjectNode) withoutTokens.path("message")).putArray("token");
        if (withoutTokens.toString().getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "80300008 The message body size exceeds the default value";
        }
        return null;
    }

    private void answer(HttpExchange exchange, String accessToken, List<String> tokens) throws IOException {
        List<String> invalid = new ArrayList<>();
        for (String token : tokens) {
            Reply r = next(token);
            switch (r) {
                case SUCCESS -> {
                }
                case INVALID_TOKEN -> invalid.add(token);
                case FLOW_CONTROL -> {
                    reply(exchange, 503, result("80100017", "flow control"), Duration.ofSeconds(1));
                    return;
                }
                case INTERNAL_ERROR -> {
                    reply(exchange, 500, result("81000001", "System inner error"), null);
                    return;
                }
                case NO_PERMISSION -> {
                    reply(exchange, 403, result("80300002", "The current app does not have the permission to "
                            + "send messages"), null);
                    return;
                }
                case ACCESS_TOKEN_EXPIRED -> {
                    issued.remove(accessToken);
                    reply(exchange, 401, result("80200003", "Oauth Token expired"), null);
                    return;
                }
            }
        }
        if (invalid.size() == tokens.size()) {
            reply(exchange, 400, result("80300007", "{\"illegal_tokens\":" + JSON.valueToTree(invalid)
                    + ",\"failure\":" + invalid.size() + "}"), null);
        } else if (!invalid.isEmpty()) {
            reply(exchange, 200, result("80100000", "{\"success\":" + (tokens.size() - invalid.size())
                    + ",\"failure\":" + invalid.size() + ",\"illegal_tokens\":" + JSON.valueToTree(invalid) + "}"),
                    null);
        } else {
            reply(exchange, 200, result("80000000", "Success"), null);
        }
    }

    private Reply next(String token) {
        Deque<Reply> script = scripts.get(token);
        if (script == null) {
            return Reply.SUCCESS;
        }
        synchronized (script) {
            Reply r = script.poll();
            return r == null ? Reply.SUCCESS : r;
        }
    }

    private String result(String code, String msg) {
        ObjectNode node = JSON.createObjectNode().put("code", code).put("msg", msg)
                .put("requestId", "hms-" + sequence.incrementAndGet());
        return node.toString();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void sleep(Duration delay) throws InterruptedException {
        if (!delay.isZero()) {
            Thread.sleep(delay);
        }
    }

    private static JsonNode tree(String text) {
        try {
            JsonNode node = text == null || text.isEmpty() ? null : JSON.readTree(text);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static void reply(HttpExchange exchange, int status, String body, Duration retryAfter)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
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
