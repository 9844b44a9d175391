package io.pushcore.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The runner as a whole against function zips built here (handler classes plus {@code lib/aws-lambda-java-core}),
 * so it is tested without a Quarkus build: unpacking, child JVMs driven through the Runtime API, routing, the
 * schedule, missing artifacts, init failures and clean shutdown.
 */
class LocalRunnerTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private LocalRunner.Settings settings(Class<?> handler) {
        return new LocalRunner.Settings(root, 0, Duration.ofMillis(500), 2, List.of("-Xmx64m"),
                Map.of("_HANDLER", handler.getName() + "::handleRequest"), Duration.ofSeconds(60),
                new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private String console() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsPackagedFunctionsBehindTheGatewayAndTheScheduleAndStopsThem() throws Exception {
        zip(LambdaFunction.SEND, EchoHandler.class);
        zip(LambdaFunction.AGGREGATOR, EchoHandler.class);
        HttpClient http = HttpClient.newHttpClient();
        List<ProcessHandle> children;

        try (LocalRunner runner = LocalRunner.start(settings(EchoHandler.class))) {
            children = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
            HttpResponse<String> send = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + runner.apiPort() + "/v1/bucket")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + runner.apiPort() + "/v1/context/c1/events/delivered"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(send.statusCode()).isEqualTo(200);
            assertThat(send.body()).isEqualTo("/v1/bucket send-function " + LocalRunner.STATE_BUCKET + " true 36");
            assertThat(events.statusCode()).isEqualTo(404);
            assertThat(runner.isRunning(LambdaFunction.EVENT)).isFalse();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!console().contains("[aggregator-function] scheduled event for aggregator-function")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }

        assertThat(console()).contains("[local] event-function: no artifact at event-function/target/function.zip")
                .contains("[aggregator-function] scheduled event for aggregator-function");
        assertThat(children).hasSize(3);
        assertThat(children).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void anInvocationPastTheFunctionTimeoutFailsAndItsInstanceIsReplacedByAFreshProcess() throws Exception {
        zip(LambdaFunction.SEND, StuckHandler.class);
        HttpClient http = HttpClient.newHttpClient();
        Duration timeout = Duration.ofSeconds(2);
        LocalRunner.Settings settings = settings(StuckHandler.class).withInstances(1)
                .withFunctionTimeout(LambdaFunction.SEND, timeout);

        try (LocalRunner runner = LocalRunner.start(settings)) {
            String api = "http://127.0.0.1:" + runner.apiPort();
            HttpResponse<String> before = get(http, api + "/v1/pid");
            long start = System.nanoTime();
            HttpResponse<String> stuck = get(http, api + "/v1/stuck");
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            HttpResponse<String> after = get(http, api + "/v1/pid");

            // a function error, as API Gateway reports a Lambda timeout; not its own 503 after 29 s
            assertThat(stuck.statusCode()).isEqualTo(500);
            assertThat(stuck.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
            assertThat(waited).isGreaterThanOrEqualTo(timeout).isLessThan(HttpApiGateway.INTEGRATION_TIMEOUT);
            assertThat(before.statusCode()).isEqualTo(200);
            assertThat(after.statusCode()).isEqualTo(200);
            long killed = Long.parseLong(before.body());
            assertThat(Long.parseLong(after.body())).isNotEqualTo(killed);
            assertThat(ProcessHandle.of(killed).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }

        assertThat(console())
                .containsPattern("\\[send-function\\] \\S+Z [0-9a-f-]{36} Task timed out after 2\\.\\d\\d seconds")
                .contains("[local] send-function (pid ")
                .contains(") killed after the timeout; starting a fresh process")
                .doesNotContain("[local] send-function exited");
    }

    @Test
    void onManagedInstancesATimeoutFailsOnlyThatInvocationAndTheInstanceServesOn() throws Exception {
        zip(LambdaFunction.SEND, StuckHandler.class);
        HttpClient http = HttpClient.newHttpClient();
        LocalRunner.Settings settings = settings(StuckHandler.class).withInstances(1)
                .withMaxConcurrency(LambdaFunction.SEND, 2)
                .withFunctionTimeout(LambdaFunction.SEND, Duration.ofSeconds(2));

        try (LocalRunner runner = LocalRunner.start(settings)) {
            String api = "http://127.0.0.1:" + runner.apiPort();
            HttpResponse<String> before = get(http, api + "/v1/pid");
            HttpResponse<String> stuck = get(http, api + "/v1/stuck");
            HttpResponse<String> after = get(http, api + "/v1/pid");

            assertThat(stuck.statusCode()).isEqualTo(500);
            assertThat(before.statusCode()).isEqualTo(200);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).isEqualTo(before.body());
        }

        assertThat(console())
                .containsPattern("\\[send-function\\] \\S+Z [0-9a-f-]{36} Task timed out after 2\\.\\d\\d seconds")
                .doesNotContain("killed after the timeout");
    }

    @Test
    void restartStartsAFreshProcessAndTheNextInvocationReachesItNotTheStoppedOnesPoll() throws Exception {
        zip(LambdaFunction.SEND, StuckHandler.class);
        HttpClient http = HttpClient.newBuilder().build();
        LocalRunner.Settings settings = settings(StuckHandler.class).withInstances(1);

        try (LocalRunner runner = LocalRunner.start(settings)) {
            String api = "http://127.0.0.1:" + runner.apiPort();
            HttpResponse<String> before = get(http, api + "/v1/pid");
            // the old process is polling /next when it is stopped: that poll must not take the next invocation
            long launched = runner.restart(LambdaFunction.SEND);
            long start = System.nanoTime();
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/pid"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(launched).isLessThanOrEqualTo(start);
            assertThat(before.statusCode()).isEqualTo(200);
            assertThat(after.statusCode()).isEqualTo(200);
            long stopped = Long.parseLong(before.body());
            assertThat(Long.parseLong(after.body())).isNotEqualTo(stopped);
            assertThat(ProcessHandle.of(stopped).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }

        // the stopped process's exit was expected, not reported as a crash
        assertThat(console()).doesNotContain("[local] send-function exited");
    }

    @Test
    void anInstanceWithMaxConcurrencyRunsThatManyInvocationsAtOnceAsOnLambdaManagedInstances() throws Exception {
        zip(LambdaFunction.SEND, TogetherHandler.class);
        HttpClient http = HttpClient.newHttpClient();
        LocalRunner.Settings settings = settings(TogetherHandler.class).withInstances(1)
                .withMaxConcurrency(LambdaFunction.SEND, TogetherHandler.TOGETHER);

        try (LocalRunner runner = LocalRunner.start(settings)) {
            URI uri = URI.create("http://127.0.0.1:" + runner.apiPort() + "/v1/together");
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < TogetherHandler.TOGETHER; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<String> bodies = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                bodies.add(answer.get(60, TimeUnit.SECONDS).body());
            }

            // one process, all invocations in its handler at the same time
            assertThat(bodies).hasSize(TogetherHandler.TOGETHER).allMatch(b -> b.startsWith("together "));
            assertThat(bodies.stream().distinct()).hasSize(1);
        }
    }

    @Test
    void answersAHundredConsecutiveCallsOfAKeepAliveNodeClientThatSendsConnectionClose() throws Exception {
        assumeTrue(NodeClient.version() != null,
                "no `node` on the PATH: this test runs CORE's JS SDK transport in Node.js (.ci/run installs it)");
        zip(LambdaFunction.SEND, EchoHandler.class);

        try (LocalRunner runner = LocalRunner.start(settings(EchoHandler.class).withInstances(1))) {
            String url = "http://127.0.0.1:" + runner.apiPort() + "/v1/bucket";
            JsonNode closing = NodeClient.consecutiveCalls(url, 100, true);
            JsonNode keptAlive = NodeClient.consecutiveCalls(url, 100, false);

            // node-fetch 2's `Connection: close`: every answer says it closes, so no call lands on a closed socket
            assertThat(closing.path("failures")).isEmpty();
            assertThat(closing.path("ok").asInt()).isEqualTo(100);
            assertThat(closing.path("connections").asInt()).isEqualTo(100);
            // without it, one connection carries all the calls
            assertThat(keptAlive.path("failures")).isEmpty();
            assertThat(keptAlive.path("ok").asInt()).isEqualTo(100);
            assertThat(keptAlive.path("connections").asInt()).isEqualTo(1);
        }
    }

    @Test
    void failsToStartWhenAFunctionReportsAnInitError() throws Exception {
        zip(LambdaFunction.SEND, BrokenHandler.class);

        assertThatThrownBy(() -> LocalRunner.start(settings(BrokenHandler.class)))
                .hasMessageContaining("send-function failed to start");
        assertThat(console()).contains("missing configuration: send.state.bucket");
    }

    @Test
    void refusesToStartWithoutAnyPackagedFunction() {
        assertThatThrownBy(() -> LocalRunner.start(settings(EchoHandler.class)))
                .hasMessageContaining("no function is packaged");
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void zip(LambdaFunction function, Class<?> handler) throws Exception {
        Path zip = function.functionZip(root);
        Files.createDirectories(zip.getParent());
        Path coreJar = Path.of(RequestStreamHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String classFile = handler.getName().replace('.', '/') + ".class";
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            add(out, classFile, Path.of("target/test-classes").resolve(classFile));
            add(out, "lib/" + coreJar.getFileName(), coreJar);
        }
    }

    private static void add(ZipOutputStream out, String name, Path file) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        Files.copy(file, out);
        out.closeEntry();
    }
}
