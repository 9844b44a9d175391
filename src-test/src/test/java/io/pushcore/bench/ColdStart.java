package io.pushcore.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import io.pushcore.crypto.MessageIds;
import io.pushcore.local.LambdaFunction;
import io.pushcore.local.LocalRunner;

/**
 * Each function's cold start as the local runner runs it: from launching a fresh function JVM on the unpacked
 * {@code function.zip} ({@link LocalRunner#restart}) to the first answered invocation through the function's own
 * trigger: {@code GET /} through the API Gateway stand-in for send-function, a client {@code delivered} event (a
 * valid message id, answered 201 after its SQS send) for event-function, and one schedule invocation (a run that
 * drains the empty queue, including SQS's 1 s receive wait) for aggregator-function. One function at a time: a runner
 * holding only that function's zip, one instance, its first start discarded (it also warms the page cache and this
 * JVM's client), then {@code rounds} restarts; rows (p) print their median, (q) each zip's size and jar count.
 *
 * <p>This is a JVM start on a warm disk, not Lambda's: no zip download, no SnapStart restore. It compares builds of
 * the same machine, so quote it with the load average printed beside it.
 */
final class ColdStart {

    /** Local profile's message-id key (event-function's application.properties), as {@link EventThroughput} uses. */
    private static final String LOCAL_MESSAGE_ID_KEY = "DreT+j5uAta5sPjkdra/SS3aglLrgwSuzXfQ3S2eq+0=";

    /** One function: its zip, and the cold starts in milliseconds (empty when only sizes were asked for). */
    record Result(LambdaFunction function, long zipBytes, int jars, double[] startsMs) {

        double medianMs() {
            double[] sorted = startsMs.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    /** What was measured, and the 1-minute load average before and after. */
    record Results(List<Result> functions, double loadBefore, double loadAfter) {
    }

    private ColdStart() {
    }

    /**
     * @param root   the directory holding {@code <module>/target/function.zip} ({@code -Dbench.cold-root}, e.g. another
     *               checkout's build to compare; default the repository root)
     * @param rounds cold starts per function; 0 measures only the zips
     */
    static Results run(Path root, int rounds) throws Exception {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<Result> results = new ArrayList<>();
        for (LambdaFunction function : LambdaFunction.values()) {
            Path zip = function.functionZip(root);
            if (!Files.isRegularFile(zip)) {
                throw new IllegalStateException("no " + zip + ": package the functions first");
            }
            int jars;
            try (ZipFile file = new ZipFile(zip.toFile())) {
                jars = (int) file.stream().filter(e -> e.getName().endsWith(".jar")).count();
            }
            double[] starts = rounds > 0 ? coldStarts(function, zip, rounds) : new double[0];
            results.add(new Result(function, Files.size(zip), jars, starts));
        }
        return new Results(results, loadBefore, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double[] coldStarts(LambdaFunction function, Path zip, int rounds) throws Exception {
        // a root holding only this function's zip, so the runner starts nothing else beside it
        Path alone = Files.createTempDirectory("pushcore-cold-" + function.module() + "-");
        try {
            Path link = function.functionZip(alone);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, zip.toAbsolutePath());
            LocalRunner.Settings defaults = LocalRunner.Settings.defaults(alone);
            LocalRunner.Settings settings = new LocalRunner.Settings(alone, 0, Duration.ofHours(1), 1,
                    defaults.jvmOptions(), Map.of(), defaults.startTimeout(),
                    new PrintStream(OutputStream.nullOutputStream()));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            MessageIds messageIds = new MessageIds(Base64.getDecoder().decode(LOCAL_MESSAGE_ID_KEY));
            try (LocalRunner runner = LocalRunner.start(settings)) {
                firstAnswer(runner, function, http, messageIds);
                double[] starts = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    long launched = runner.restart(function);
                    firstAnswer(runner, function, http, messageIds);
                    starts[i] = (System.nanoTime() - launched) / 1e6;
                }
                return starts;
            }
        } finally {
            try (Stream<Path> files = Files.walk(alone)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Calls the function through its trigger and waits for its answer; anything but success fails the bench. */
    private static void firstAnswer(LocalRunner runner, LambdaFunction function, HttpClient http,
            MessageIds messageIds) throws Exception {
        URI api = URI.create("http://127.0.0.1:" + runner.apiPort());
        switch (function) {
            case SEND -> expect(http, HttpRequest.newBuilder(api.resolve("/")), 200, function);
            case EVENT -> {
                UUID contextId = UUID.randomUUID();
                String body = "{\"contextId\":\"" + contextId + "\",\"messageId\":\"" + messageIds.mint(contextId)
                        + "\",\"foreignId\":\"cold-start\"}";
                expect(http, HttpRequest.newBuilder(api.resolve("/v1/context/" + contextId + "/events/delivered"))
                        .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)),
                        201, function);
            }
            case AGGREGATOR -> runner.schedule().orElseThrow().invoke().get(2, TimeUnit.MINUTES);
        }
    }

    private static void expect(HttpClient http, HttpRequest.Builder request, int status, LambdaFunction function)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status) {
            throw new IllegalStateException(function.module() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** Rows (p) and (q); {@code null}: the part was not run. */
    static void printRows(Results results, boolean coldStarts, boolean sizes) {
        if (results == null) {
            System.out.printf("| %-59s | %12s | %-14s |%n", "(p), (q) cold start and function.zip sizes", "skipped", "");
            return;
        }
        if (coldStarts) {
            for (Result r : results.functions()) {
                if (r.startsMs().length == 0) {
                    continue;
                }
                double[] sorted = r.startsMs().clone();
                Arrays.sort(sorted);
                System.out.printf("| %-59s | %12.0f | %-14s |%n", "(p) " + r.function().module()
                        + " cold start, median of " + sorted.length, r.medianMs(),
                        String.format(Locale.ROOT, "ms %.0f-%.0f", sorted[0], sorted[sorted.length - 1]));
            }
            System.out.printf("| %-59s | %12s | %-14s |%n", "    load average (1 min) before / after",
                    String.format(Locale.ROOT, "%.2f / %.2f", results.loadBefore(), results.loadAfter()), "");
        }
        if (sizes) {
            for (Result r : results.functions()) {
                System.out.printf("| %-59s | %12.1f | %-14s |%n", "(q) " + r.function().module() + " function.zip",
                        r.zipBytes() / 1e6, "MB, " + r.jars() + " jars");
            }
        }
    }
}
