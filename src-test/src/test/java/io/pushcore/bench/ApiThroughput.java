package io.pushcore.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.pushcore.local.LocalRunner;
import io.pushcore.testing.apns.FakeApnsServer;
import io.pushcore.testing.apns.TestPki;
import io.pushcore.testing.fcm.FakeFcmServer;
import io.pushcore.testing.hms.FakeHmsServer;
import io.pushcore.testing.webpush.FakeWebPushServer;

/**
 * Receivers/s through the whole local path: HTTP → emulated API Gateway → Lambda Runtime API → send-function (one
 * JVM) → provider → a local endpoint. Web push goes to a sink on 127.0.0.1 that answers 201 without decrypting, so
 * the sink does not take CPU from the function on a small machine (decryption is proven by {@code LocalSystemIT});
 * APNs goes to an accept-all {@link FakeApnsServer}, FCM to {@link FakeFcmServer}, both named to the function by
 * {@code SEND_PROVIDERS_*} environment variables, Push Kit to {@link FakeHmsServer}, named by the {@code hms}
 * credential's URLs. One function JVM serves all four in turn.
 */
final class ApiThroughput {

    record Result(int requests, int receiversPerRequest, int concurrency, double receiversPerSecond, double p50Ms,
            double p95Ms, long accepted, long failedReceivers) {
    }

    /**
     * One result per provider and the image rows; {@code apns}, {@code fcm} and {@code hms} are null when
     * {@code mobileRequests} is 0, {@code images} when {@code imageRounds} is 0.
     */
    record Results(Result webPush, ImageThroughput.Result images, Result apns, Result fcm, Result hms) {
    }

    static final String APNS_TOPIC = "com.example.bench";
    private static final String FCM_PROJECT = "bench-api";
    private static final String HMS_APP = "109000001";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param mobileWarmupRequests requests sent to each mobile provider before it is measured: a fresh function JVM
     *        runs them at a fraction of its speed while it loads classes and compiles (the raw loops, with far less
     *        code, settle within their own warm-up run), so the API rows are measured warm like the raw ones
     */
    static Results run(int warmupRequests, int requests, int mobileWarmupRequests, int mobileRequests,
            int imageRounds, int receiversPerRequest, int concurrency, FakeApnsServer apns, FakeFcmServer fcm,
            FakeHmsServer hms) throws Exception {
        AtomicLong accepted = new AtomicLong();
        HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        sink.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        sink.createContext("/push/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                accepted.incrementAndGet();
                exchange.getResponseHeaders().set("Location", "/m/" + accepted.get());
                exchange.sendResponseHeaders(201, -1);
            }
        });
        sink.start();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        LocalRunner.Settings settings = LocalRunner.Settings.defaults(Path.of("..").toAbsolutePath().normalize())
                .withApiPort(0).withInstances(Integer.getInteger("bench.instances", 1));
        settings = new LocalRunner.Settings(settings.root(), settings.apiPort(), settings.scheduleInterval(),
                settings.instances(), List.of("-Xmx1g"), Map.of(), settings.startTimeout(), quiet)
                .withEnvironment(Map.of(
                        "SEND_PROVIDERS_APNS_HOST", "localhost",
                        "SEND_PROVIDERS_APNS_PORT", String.valueOf(apns.port()),
                        "SEND_PROVIDERS_APNS_TRUSTED_CERTIFICATES", TestPki.pem(apns.certificateAuthority()),
                        "SEND_PROVIDERS_FCM_BASE_URL", fcm.baseUrl().toString(),
                        // e.g. -XX:StartFlightRecording=filename=/tmp/send.jfr to profile the function JVM
                        "JAVA_TOOL_OPTIONS", System.getenv().getOrDefault("BENCH_FUNCTION_JAVA_OPTS", "")));
        try (LocalRunner runner = LocalRunner.start(settings)) {
            URI base = URI.create("http://127.0.0.1:" + runner.apiPort());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
            JsonNode bucket = post(http, base, "/v1/bucket", Map.of("providerCredentials",
                    List.of(Map.of("type", "vapid", "payload",
                            Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                    "callbackConfig", Map.of("type", "none")));
            String bucketId = bucket.path("bucketId").asText();
            String credentialId = bucket.path("credentials").get(0).path("id").asText();
            String contextId = post(http, base, "/v1/bucket/" + bucketId + "/context/data",
                    Map.of("title", "Hello from pushcore", "body", "benchmark", "behaviour", "https://example.com"))
                    .path("contextId").asText();
            byte[] body = webPushBody(sink.getAddress().getPort(), credentialId, receiversPerRequest);
            String sendPath = "/v1/bucket/" + bucketId + "/context/" + contextId + "/send";
            Result webPush = measure(http, base, sendPath, body, warmupRequests, requests, concurrency,
                    receiversPerRequest, accepted::get);
            ImageThroughput.Result images = imageRounds <= 0 ? null : ImageThroughput.run(
                    context -> postUnchecked(http, base, "/v1/bucket/" + bucketId + "/context/data", context),
                    () -> runner.aws().s3().listObjectsV2Paginator(b -> b.bucket(LocalRunner.CDN_BUCKET)
                            .prefix("images/")).contents().stream().count(),
                    imageRounds, concurrency);
            if (mobileRequests <= 0) {
                return new Results(webPush, images, null, null, null);
            }

            JsonNode mobile = post(http, base, "/v1/bucket", Map.of("providerCredentials", List.of(
                    Map.of("type", "apns_token", "payload", Map.of("teamId", FakeApnsServer.TEAM_ID,
                            "keyId", FakeApnsServer.KEY_ID, "key", apns.signingKeyPem(), "production", false,
                            "appBundleId", APNS_TOPIC)),
                    Map.of("type", "fcm_v1", "payload", JSON.readTree(fcm.serviceAccountJson(FCM_PROJECT))),
                    Map.of("type", "hms", "payload", hms.credential(HMS_APP))),
                    "callbackConfig", Map.of("type", "none")));
            String mobileBucket = mobile.path("bucketId").asText();
            String apnsCredential = mobile.path("credentials").get(0).path("id").asText();
            String fcmCredential = mobile.path("credentials").get(1).path("id").asText();
            String hmsCredential = mobile.path("credentials").get(2).path("id").asText();
            String mobileContext = post(http, base, "/v1/bucket/" + mobileBucket + "/context/data",
                    Map.of("title", "Hello from pushcore", "body", "benchmark", "behaviour", "https://example.com"))
                    .path("contextId").asText();
            String mobilePath = "/v1/bucket/" + mobileBucket + "/context/" + mobileContext + "/send";
            Result apnsResult = measure(http, base, mobilePath,
                    tokenBody(apnsCredential, "apns/ios", receiversPerRequest, i -> String.format("%064x", i)),
                    mobileWarmupRequests, mobileRequests, concurrency, receiversPerRequest, () -> -1);
            Result fcmResult = measure(http, base, mobilePath,
                    tokenBody(fcmCredential, "fcm/android", receiversPerRequest, i -> "fcm-token-" + i),
                    mobileWarmupRequests, mobileRequests, concurrency, receiversPerRequest, () -> -1);
            Result hmsResult = measure(http, base, mobilePath,
                    tokenBody(hmsCredential, "hms/android", receiversPerRequest, i -> "hms-token-" + i),
                    mobileWarmupRequests, mobileRequests, concurrency, receiversPerRequest, () -> -1);
            return new Results(webPush, images, apnsResult, fcmResult, hmsResult);
        } finally {
            sink.stop(0);
        }
    }

    /**
     * Sends {@code requests} times {@code body} with {@code concurrency} in flight after {@code warmupRequests};
     * {@code acceptedCount} reads the endpoint's count of accepted pushes, or -1 when it keeps none.
     */
    private static Result measure(HttpClient http, URI base, String sendPath, byte[] body, int warmupRequests,
            int requests, int concurrency, int receiversPerRequest, LongSupplier acceptedCount) throws Exception {
        for (int i = 0; i < warmupRequests; i++) {
            send(http, base, sendPath, body);
        }
        long acceptedBefore = acceptedCount.getAsLong();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                futures.add(clients.submit(() -> {
                    long t0 = System.nanoTime();
                    JsonNode results = send(http, base, sendPath, body).path("results");
                    latencies.add((System.nanoTime() - t0) / 1e6);
                    results.forEach(r -> {
                        if (!r.path("errors").isEmpty()) {
                            failed.incrementAndGet();
                        }
                    });
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> sorted = latencies.stream().sorted().toList();
        long accepted = acceptedBefore < 0 ? requests * (long) receiversPerRequest - failed.get()
                : acceptedCount.getAsLong() - acceptedBefore;
        return new Result(requests, receiversPerRequest, concurrency, requests * receiversPerRequest / seconds,
                percentile(sorted, 50), percentile(sorted, 95), accepted, failed.get());
    }

    private static byte[] tokenBody(String credentialId, String type, int count, IntFunction<String> token)
            throws IOException {
        List<Map<String, String>> receivers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            receivers.add(Map.of("credentialId", credentialId, "type", type, "foreignId", "user-" + i,
                    "token", token.apply(i)));
        }
        return JSON.writeValueAsBytes(Map.of("receivers", receivers));
    }

    private static byte[] webPushBody(int sinkPort, String credentialId, int count) throws Exception {
        List<Map<String, String>> receivers = new ArrayList<>();
        try (FakeWebPushServer keys = new FakeWebPushServer()) {
            for (int i = 0; i < count; i++) {
                FakeWebPushServer.Subscriber s = keys.subscribe();
                receivers.add(Map.of("credentialId", credentialId, "foreignId", "user-" + i,
                        "endpoint", "http://127.0.0.1:" + sinkPort + "/push/" + s.id(), "p256dh", s.p256dh(),
                        "auth", s.auth()));
            }
        }
        return JSON.writeValueAsBytes(Map.of("receivers", receivers));
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static void postUnchecked(HttpClient http, URI base, String path, Object body) {
        try {
            post(http, base, path, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode post(HttpClient http, URI base, String path, Object body) throws IOException,
            InterruptedException {
        return send(http, base, path, JSON.writeValueAsBytes(body));
    }

    private static JsonNode send(HttpClient http, URI base, String path, byte[] body) throws IOException,
            InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60)).header("authorization", "Bearer " + LocalRunner.DEV_API_KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return JSON.readTree(response.body());
    }
}
