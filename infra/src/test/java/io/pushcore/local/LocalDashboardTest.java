package io.pushcore.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/**
 * The dashboard's data without a browser: Prometheus text from a loopback server standing in for a function's
 * {@code /q/metrics}, the SQS stand-in's queues, and the page and JSON as the {@link HttpApiGateway} serves them.
 */
class LocalDashboardTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> exposition = new HashMap<>();
    private final List<LocalDashboard.Target> targets = new CopyOnWriteArrayList<>();
    private HttpServer functions;
    private AwsStandIns aws;
    private LocalDashboard dashboard;
    private HttpApiGateway gateway;
    private String dlq;

    @BeforeEach
    void start() throws Exception {
        functions = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        functions.createContext("/", exchange -> {
            byte[] body = exposition.getOrDefault(exchange.getRequestURI().getPath(), "")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        functions.start();
        aws = AwsStandIns.start();
        dlq = aws.createQueue("dashboard-dlq");
        dashboard = new LocalDashboard(() -> targets, aws.sqs(), Map.of("dead-letter queue", dlq));
        gateway = new HttpApiGateway(0, Map.of(), Duration.ofSeconds(5));
        gateway.serve(dashboard);
    }

    @AfterEach
    void stop() {
        gateway.close();
        dashboard.close();
        aws.close();
        functions.stop(0);
    }

    private URI metricsPath(String process) {
        return URI.create("http://127.0.0.1:" + functions.getAddress().getPort() + "/" + process + "/q/metrics");
    }

    @Test
    void countersBecomeCountsPerSeriesSummedOverProcessesAndARestartedProcessCountsFromZero() throws Exception {
        targets.add(new LocalDashboard.Target("send-function#1", 11, metricsPath("a")));
        targets.add(new LocalDashboard.Target("send-function#2", 12, metricsPath("b")));
        exposition.put("/a/q/metrics", """
                # HELP pushcore_pushes_total
                # TYPE pushcore_pushes_total counter
                pushcore_pushes_total{outcome="accepted",provider="webpush"} 3.0
                pushcore_provider_latency_seconds_count{provider="webpush"} 2.0
                pushcore_provider_latency_seconds_sum{provider="webpush"} 0.05
                pushcore_provider_latency_seconds_max{provider="webpush"} 0.04
                jvm_threads_live_threads 40.0
                """);
        exposition.put("/b/q/metrics", """
                pushcore_pushes_total{outcome="accepted",provider="webpush",} 1.0
                pushcore_push_errors_total{code="UNREGISTERED",provider="webpush",} 1.0
                pushcore_pushes_total{outcome="unregistered",provider="webpush",} 1.0
                """);
        dashboard.sample();
        exposition.put("/a/q/metrics", """
                pushcore_pushes_total{outcome="accepted",provider="webpush"} 5.0
                pushcore_quota_refusals_total{use_case="send_receivers"} 2.0
                """);
        // send-function#2 was replaced (new pid): its counters start again from zero
        targets.set(1, new LocalDashboard.Target("send-function#2", 13, metricsPath("b")));
        exposition.put("/b/q/metrics", """
                pushcore_pushes_total{outcome="accepted",provider="webpush"} 4.0
                """);
        aws.sqs().sendMessage(b -> b.queueUrl(dlq).messageBody("{}"));
        dashboard.sample();

        JsonNode json = get("/_local/metrics");

        assertThat(json.path("stepSeconds").asInt()).isEqualTo(2);
        assertThat(json.path("times").size()).isGreaterThanOrEqualTo(2);
        assertThat(totals(json, "pushes")).containsEntry("webpush accepted", 3.0 + 1 + 2 + 4)
                .containsEntry("webpush unregistered", 1.0);
        assertThat(totals(json, "errors")).containsEntry("UNREGISTERED", 1.0);
        assertThat(totals(json, "quota")).containsEntry("send_receivers", 2.0);
        assertThat(totals(json, "latency")).containsEntry("mean webpush", 25.0).containsEntry("max webpush", 40.0);
        assertThat(totals(json, "queue")).containsEntry("dead-letter queue", 1.0);
        assertThat(totals(json, "webhooks")).isEmpty();
        assertThat(chart(json, "pushes").path("total").asDouble()).isEqualTo(11.0);
        for (JsonNode chart : json.path("charts")) {
            for (JsonNode series : chart.path("series")) {
                assertThat(series.path("values")).hasSize(json.path("times").size());
            }
        }
    }

    @Test
    void theGatewayServesThePageAndRefusesOtherPathsAndMethodsInTheErrorShape() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/_local/")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/_local/x"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/_local/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("createElementNS", "fetch('metrics'")
                .doesNotContain("<script src", "<link", "@import", "https://");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(HttpApiEvents.JSON.readTree(missing.body()).path("errors").get(0).asText()).startsWith("path: ");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(HttpApiEvents.JSON.readTree(post.body()).path("errors").get(0).asText()).startsWith("method: ");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return HttpApiEvents.JSON.readTree(response.body());
    }

    private static JsonNode chart(JsonNode json, String id) {
        for (JsonNode chart : json.path("charts")) {
            if (chart.path("id").asText().equals(id)) {
                return chart;
            }
        }
        throw new AssertionError("no chart " + id);
    }

    private static Map<String, Double> totals(JsonNode json, String id) {
        Map<String, Double> totals = new HashMap<>();
        chart(json, id).path("series").forEach(s -> totals.put(s.path("name").asText(), s.path("total").asDouble()));
        return totals;
    }
}
