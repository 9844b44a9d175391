package io.pushcore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.pushcore.e2e.support.Endpoints;
import io.pushcore.e2e.support.PushcoreClient;
import io.pushcore.e2e.support.WebhookReceiver;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;

/**
 * The local dashboard ({@code /_local/} of the local API, README "Operating"): after real traffic (web pushes to a
 * local push service, one of them gone; client events; webhook packages to a webhook that takes them and to one that
 * answers 410, so its events are dead-lettered; a request over a token's quota) its JSON has every chart's series,
 * and headless Chromium draws every chart with plotted data.
 *
 * <p>The browser test runs Chromium ({@code chromium} on the PATH, Debian's package) on its command line: once to
 * dump the DOM after the page's script ran, once for a screenshot at the same fixed window size. Where Chromium is
 * missing it is skipped, unless {@code PUSHCORE_REQUIRE_CHROMIUM} is set (CI's {@code .ci/run} installs Chromium and
 * sets it), where it fails.
 */
class LocalDashboardIT {

    /** The page's series colours (local-dashboard.html's {@code COLOURS}). */
    private static final int[] COLOURS = { 0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd, 0x8c564b, 0xe377c2,
        0x17becf };
    private static final List<String> CHARTS = List.of("pushes", "errors", "latency", "events", "webhooks",
            "deadletter", "queue", "quota");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 1200;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static FakeWebPushServer pushService;
    static Endpoints endpoints;
    static PushcoreClient api;
    static WebhookReceiver webhook;
    static HttpServer goneWebhook;

    @BeforeAll
    static void startAndMakeTraffic() throws Exception {
        assumeTrue(System.getProperty("pushcore.e2e.base-url", "").isBlank(), "the dashboard is the local runner's");
        pushService = new FakeWebPushServer();
        endpoints = Endpoints.start(Map.of());
        api = endpoints.client();
        String secret = newSecret();
        webhook = new WebhookReceiver(secret, 0);
        goneWebhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        goneWebhook.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(410, -1);
            exchange.close();
        });
        goneWebhook.start();

        // Five pushes, one to a subscription that is gone; a delivered event for each live one.
        Bucket bucket = bucket(webhook.url(), secret);
        String contextId = context(bucket.id());
        List<Subscriber> live = List.of(pushService.subscribe(), pushService.subscribe(), pushService.subscribe(),
                pushService.subscribe());
        List<Subscriber> all = new ArrayList<>(live);
        all.add(pushService.subscribe().respond(410));
        JsonNode results = send(bucket, contextId, all);
        for (int i = 0; i < live.size(); i++) {
            assertThat(deliveredEvent(contextId, results.get(i).path("messageId").asText(), "user-" + i))
                    .isEqualTo(201);
        }
        // One push whose events go to a webhook that answers 410 Gone: dead-lettered as webhook_gone.
        Bucket goneBucket = bucket(URI.create("http://127.0.0.1:" + goneWebhook.getAddress().getPort() + "/hook"),
                newSecret());
        send(goneBucket, context(goneBucket.id()), List.of(pushService.subscribe()));
        // A token allowed one bucket a minute, asking for two: one 429.
        PushcoreClient admin = new PushcoreClient(endpoints.baseUri(), "pushcore-dev-admin-key");
        PushcoreClient.Reply token = admin.post("/v1/admin/token", Map.of("tenant", "dashboard"));
        assertThat(token.status()).as(token.body().toString()).isEqualTo(201);
        PushcoreClient.Reply limit = admin.post("/v1/admin/token/rate-limit", Map.of("apiToken",
                token.body().path("tokenId").asText(), "useCaseName", "bucket_creation", "quota", 1,
                "interval", 60_000));
        assertThat(limit.status()).as(limit.body().toString()).isEqualTo(200);
        PushcoreClient limited = new PushcoreClient(endpoints.baseUri(), token.body().path("token").asText());
        FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        Map<String, Object> plainBucket = Map.of("providerCredentials", List.of(Map.of("type", "vapid", "payload",
                Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                "callbackConfig", Map.of("type", "none"));
        assertThat(limited.post("/v1/bucket", plainBucket).status()).isEqualTo(200);
        assertThat(limited.post("/v1/bucket", plainBucket).status()).isEqualTo(429);

        // The aggregator runs every 5 s and packs for up to 5 s locally: wait until every chart has counted.
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!everyChartCounted(metrics()) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
        }
    }

    @AfterAll
    static void stop() {
        if (endpoints != null) {
            endpoints.close();
        }
        if (webhook != null) {
            webhook.close();
        }
        if (goneWebhook != null) {
            goneWebhook.stop(0);
        }
        if (pushService != null) {
            pushService.close();
        }
    }

    @Test
    void theJsonHasTheSeriesOfWhatHappened() throws Exception {
        JsonNode metrics = metrics();

        assertThat(metrics.path("stepSeconds").asInt()).isEqualTo(2);
        assertThat(metrics.path("windowSeconds").asInt()).isEqualTo(600);
        int samples = metrics.path("times").size();
        assertThat(samples).isGreaterThan(1);
        assertThat(series(metrics, "pushes")).containsEntry("webpush accepted", 5L)
                .containsEntry("webpush unregistered", 1L);
        assertThat(series(metrics, "errors")).containsEntry("UNREGISTERED", 1L);
        assertThat(series(metrics, "latency")).containsKeys("mean webpush", "max webpush");
        assertThat(series(metrics, "latency").get("max webpush")).isPositive();
        assertThat(series(metrics, "events")).containsEntry("client delivered accepted", 4L)
                .containsEntry("send ok", 6L);
        assertThat(series(metrics, "webhooks")).containsKeys("delivered", "gone");
        assertThat(series(metrics, "deadletter")).containsKey("webhook_gone");
        assertThat(series(metrics, "queue").get("dead-letter queue")).isPositive();
        assertThat(series(metrics, "quota")).containsEntry("bucket_creation", 1L);
        for (JsonNode chart : metrics.path("charts")) {
            for (JsonNode series : chart.path("series")) {
                assertThat(series.path("values")).as(chart.path("id") + " " + series.path("name")).hasSize(samples);
            }
        }
        HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(endpoints.dashboardUri().resolve("nothing"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(PushcoreClient.JSON.readTree(other.body()).path("errors").get(0).asText()).startsWith("path: ");
    }

    @Test
    void headlessChromiumDrawsEveryChartWithData(@TempDir Path dir) throws Exception {
        String chromium = chromium();
        String url = endpoints.dashboardUri().toString();

        String dom = runChromium(chromium, dir, "--dump-dom", url);
        Path png = dir.resolve("dashboard.png");
        runChromium(chromium, dir, "--screenshot=" + png, url);
        BufferedImage image = ImageIO.read(png.toFile());
        String keep = System.getProperty("pushcore.e2e.dashboard-screenshot", "");
        if (!keep.isBlank()) {
            Files.copy(png, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        assertThat(dom).contains("data-loaded=\"true\"");
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        for (String chart : CHARTS) {
            Matcher box = Pattern.compile("id=\"chart-" + chart + "\".*?</h2>.*?data-rect=\"(\\d+),(\\d+),(\\d+),(\\d+)\"",
                    Pattern.DOTALL).matcher(dom);
            assertThat(box.find()).as("chart " + chart + " in the DOM").isTrue();
            Matcher total = Pattern.compile("id=\"chart-" + chart + "\".*?class=\"chart-total\">([0-9.]+)<",
                    Pattern.DOTALL).matcher(dom);
            assertThat(total.find()).as("chart " + chart + "'s total").isTrue();
            assertThat(Double.parseDouble(total.group(1))).as("chart " + chart + "'s total").isPositive();
            int left = Integer.parseInt(box.group(1));
            int top = Integer.parseInt(box.group(2));
            int width = Integer.parseInt(box.group(3));
            int height = Integer.parseInt(box.group(4));
            assertThat(plottedAboveTheBaseline(image, left, top, width, height))
                    .as("pixels of a plotted line above the zero line in chart " + chart).isGreaterThan(20);
        }
    }

    /**
     * Pixels of a series colour inside the plot but above its zero line (the page draws zero 16 px above the plot's
     * bottom): an empty chart has none, a chart of zeros only a line along the bottom.
     */
    private static int plottedAboveTheBaseline(BufferedImage image, int left, int top, int width, int height) {
        int found = 0;
        for (int y = top; y < Math.min(image.getHeight(), top + height - 22); y++) {
            for (int x = left; x < Math.min(image.getWidth(), left + width); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                for (int colour : COLOURS) {
                    if (close(rgb, colour)) {
                        found++;
                        break;
                    }
                }
            }
        }
        return found;
    }

    private static boolean close(int a, int b) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > 12) {
                return false;
            }
        }
        return true;
    }

    /** The Chromium to run, or the test is skipped (or fails, where CI must have installed it). */
    private static String chromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        String message = "no `chromium` on the PATH (Debian: apt-get install -y chromium chromium-driver)";
        if (System.getenv("PUSHCORE_REQUIRE_CHROMIUM") != null) {
            fail("PUSHCORE_REQUIRE_CHROMIUM is set (.ci/run installs Chromium) but there is " + message);
        }
        assumeTrue(false, message + "; the dashboard's browser test is skipped");
        return null;
    }

    /**
     * Headless Chromium at the fixed window size, as root needs it (no sandbox), its own profile; 10 s of virtual time
     * lets the page fetch its data and draw before the DOM is dumped or the screenshot taken. Returns standard output.
     */
    private static String runChromium(String chromium, Path dir, String what, String url) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=" + WIDTH + "," + HEIGHT,
                "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=10000", what, url));
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish within 90 s: " + command);
        }
        assertThat(process.exitValue()).as("chromium " + what + "; its log: "
                + Files.readString(dir.resolve("chromium.log"))).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static JsonNode metrics() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(endpoints.dashboardUri().resolve("metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return PushcoreClient.JSON.readTree(response.body());
    }

    private static boolean everyChartCounted(JsonNode metrics) {
        for (JsonNode chart : metrics.path("charts")) {
            if (chart.path("total").asDouble() <= 0) {
                return false;
            }
        }
        return series(metrics, "webhooks").containsKey("delivered") && series(metrics, "webhooks").containsKey("gone")
                && series(metrics, "events").getOrDefault("client delivered accepted", 0L) >= 4;
    }

    /** A chart's series: name to its total (a count over the window, or a peak, rounded). */
    private static Map<String, Long> series(JsonNode metrics, String chart) {
        Map<String, Long> series = new LinkedHashMap<>();
        for (JsonNode node : metrics.path("charts")) {
            if (node.path("id").asText().equals(chart)) {
                node.path("series").forEach(s -> series.put(s.path("name").asText(),
                        Math.round(Math.ceil(s.path("total").asDouble()))));
            }
        }
        return series;
    }

    private record Bucket(String id, String vapid) {
    }

    private static Bucket bucket(URI webhookUrl, String secret) throws Exception {
        FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        pushService.expectVapidPublicKey(vapid.publicKey());
        PushcoreClient.Reply reply = api.post("/v1/bucket", Map.of(
                "providerCredentials", List.of(Map.of("type", "vapid", "payload",
                        Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                "callbackConfig", Map.of("type", "http", "payload", Map.of("url", webhookUrl.toString(),
                        "secret", secret))));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return new Bucket(reply.body().path("bucketId").asText(),
                reply.body().path("credentials").get(0).path("id").asText());
    }

    private static String context(String bucketId) throws Exception {
        PushcoreClient.Reply reply = api.post("/v1/bucket/" + bucketId + "/context/data",
                Map.of("title", "Hello", "body", "the local dashboard", "ttl", 3600));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().path("contextId").asText();
    }

    private static JsonNode send(Bucket bucket, String contextId, List<Subscriber> subscribers) throws Exception {
        List<Map<String, String>> receivers = new ArrayList<>();
        for (int i = 0; i < subscribers.size(); i++) {
            Subscriber s = subscribers.get(i);
            receivers.add(Map.of("credentialId", bucket.vapid(), "foreignId", "user-" + i, "endpoint", s.endpoint(),
                    "p256dh", s.p256dh(), "auth", s.auth()));
        }
        PushcoreClient.Reply reply = api.post("/v1/bucket/" + bucket.id() + "/context/" + contextId + "/send",
                Map.of("receivers", receivers));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().path("results");
    }

    /** What a service worker posts on display: no API key. */
    private static int deliveredEvent(String contextId, String messageId, String foreignId) throws Exception {
        byte[] body = PushcoreClient.JSON.writeValueAsBytes(Map.of("contextId", contextId, "messageId", messageId,
                "foreignId", foreignId));
        return HTTP.send(HttpRequest.newBuilder(endpoints.baseUri().resolve("/v1/context/" + contextId
                + "/events/delivered")).header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String newSecret() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
