package io.pushcore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.pushcore.local.AwsStandIns;
import io.pushcore.local.DevStandIns;

/**
 * README "Developing one function": with the {@link DevStandIns} on their fixed ports, {@code ./mvnw -pl <function>
 * -am test-compile quarkus:dev} of each function starts (live reload on, no AWS account) and answers over HTTP. Each
 * dev mode is a Maven child process (online: dev mode needs a few artifacts a build does not, such as
 * quarkus-devui) on a free port, stopped
 * with its whole process tree before the next starts. Skipped when the stand-ins' ports are taken (someone is
 * developing here) or with {@code -Dpushcore.e2e.dev-mode=false}.
 */
class DevModeIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Path root;
    private static AwsStandIns aws;

    @BeforeAll
    static void startStandIns() {
        assumeTrue(System.getProperty("pushcore.e2e.base-url", "").isBlank(), "starts its own local functions");
        assumeTrue(Boolean.parseBoolean(System.getProperty("pushcore.e2e.dev-mode", "true")), "dev mode disabled");
        root = findRoot();
        assumeTrue(root != null, "no ./mvnw above " + System.getProperty("user.dir"));
        assumeTrue(free(DevStandIns.SQS_PORT) && free(DevStandIns.S3_PORT),
                "ports " + DevStandIns.SQS_PORT + "/" + DevStandIns.S3_PORT + " are taken (stand-ins already running?)");
        aws = DevStandIns.start(DevStandIns.SQS_PORT, DevStandIns.S3_PORT);
    }

    @AfterAll
    static void stopStandIns() {
        if (aws != null) {
            aws.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "send-function", "event-function", "aggregator-function" })
    void devModeAnswers(String module) throws Exception {
        // quarkus-amazon-lambda(-http) dev mode serves the function on its mock event server's port (8080 unless set)
        int httpPort = freePort();
        int quarkusHttpPort = freePort(); // the aggregator's own HTTP server (/q/metrics), 8080 unless set
        Path log = Files.createTempFile("pushcore-dev-" + module + "-", ".log");
        List<String> command = List.of(root.resolve("mvnw").toString(), "-B", "-ntp", "-pl", module, "-am",
                "test-compile", "quarkus:dev", "-Dquarkus.lambda.mock-event-server.dev-port=" + httpPort,
                "-Dquarkus.http.port=" + quarkusHttpPort, "-Ddebug=false",
                "-Dquarkus.console.enabled=false", "-Dquarkus.analytics.disabled=true");
        Process maven = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        // No input, ever: Quarkus's analytics prompt would otherwise block a common-pool thread on stdin, and on a
        // 2-core machine that pool has one thread, which the dev mojo's workspace loading then waits for forever.
        maven.getOutputStream().close();
        try {
            HttpResponse<String> answer = awaitAnswer(module, httpPort, maven, log);
            switch (module) {
                case "send-function" -> {
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.body()).contains("currentVersion");
                }
                // No message id: refused by the function's own validation, as JSON naming the field.
                case "event-function" -> {
                    assertThat(answer.statusCode()).isEqualTo(400);
                    assertThat(answer.body()).contains("messageId");
                }
                default -> {
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.body()).contains("\"messages\":0", "\"budgetMillis\"");
                }
            }
            assertThat(Files.readString(log)).contains("Live Coding activated");
        } finally {
            stopTree(maven);
            Files.deleteIfExists(log);
        }
    }

    private static HttpResponse<String> awaitAnswer(String module, int port, Process maven, Path log)
            throws Exception {
        HttpRequest request = switch (module) {
            case "send-function" -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).GET().build();
            case "event-function" -> HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/context/dev-mode/events/delivered"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).header("content-type", "application/json")
                    .build();
            // The mock event server takes a POST as one invocation: a scheduled run over the stand-in queue.
            default -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).header("content-type", "application/json")
                    .build();
        };
        request = HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!maven.isAlive()) {
                throw new AssertionError(module + " dev mode exited with " + maven.exitValue() + ":\n" + tail(log));
            }
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                // Dev mode answers 503/500 pages while it is still (re)starting.
                if (response.statusCode() < 500) {
                    return response;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(module + " dev mode did not answer within " + START_TIMEOUT + ":\n" + tail(log));
    }

    /** Maven, the dev-mode JVM it forks and anything else below it; forcibly after 20 s. */
    private static void stopTree(Process maven) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(maven.descendants().toList());
        tree.add(maven.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle process : tree) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                process.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception stillRunning) {
                process.destroyForcibly();
            }
        }
        for (ProcessHandle process : tree) {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("process " + process.pid() + " survived a forced stop", e);
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static Path findRoot() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("send-function"))) {
                return dir;
            }
        }
        return null;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
