package io.pushcore.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import io.pushcore.testing.apns.FakeApnsServer;
import io.pushcore.testing.fcm.FakeFcmServer;
import io.pushcore.testing.hms.FakeHmsServer;

/**
 * Runs every measurement in one go and prints one table: web push, contexts with images, APNs, FCM and Huawei Push
 * Kit through the local API, pushy, firebase-admin and pushcore's Push Kit provider alone against the same local
 * servers, client events, and the encryption micro-benchmarks. Sized for a few minutes on two cores:
 * {@code -Dbench.requests}, {@code -Dbench.mobile-requests} (0 leaves APNs, FCM and Push Kit out),
 * {@code -Dbench.images} (contexts with three images; 0 leaves them out), {@code -Dbench.receivers},
 * {@code -Dbench.concurrency}, {@code -Dbench.instances}, {@code -Dbench.raw-apns}, {@code -Dbench.raw-fcm},
 * {@code -Dbench.raw-hms} change the sizes; {@code -Dbench.skip-api=true} leaves the API part out.
 * {@code -Dbench.mobile-warmup} (requests sent to each mobile provider before it is measured, default 200),
 * {@code -Dbench.event-warmup}, {@code -Dbench.events}, {@code -Dbench.event-concurrency},
 * {@code -Dbench.event-backlog} size the client-event part; {@code -Dbench.skip-events=true} leaves it out.
 * {@code -Dbench.skip-jmh=true} leaves out the encryption micro-benchmarks (rows b and c), e.g. to measure only the
 * event rows. {@code -Dbench.only=l,o} runs only the parts that print those rows (letters as in the table; empty: all).
 * Rows (p) and (q) are each function's cold start ({@link ColdStart}: median of {@code -Dbench.cold-starts}, default 5)
 * and {@code function.zip} size, read from {@code -Dbench.cold-root} (default: this repository) so another checkout's
 * build can be measured with the same code.
 */
public final class PushcoreBenchmark {

    /** Rows asked for with {@code -Dbench.only} (comma-separated letters); empty: every row. */
    private static final Set<String> ONLY = Arrays.stream(System.getProperty("bench.only", "").split(","))
            .map(String::trim).filter(row -> !row.isEmpty()).collect(Collectors.toSet());

    private PushcoreBenchmark() {
    }

    /** Whether any of these rows is asked for. */
    static boolean selected(String... rows) {
        return ONLY.isEmpty() || Arrays.stream(rows).anyMatch(ONLY::contains);
    }

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("bench.requests", 8);
        int receivers = Integer.getInteger("bench.receivers", 1000);
        int concurrency = Integer.getInteger("bench.concurrency", 2);
        int mobileRequests = selected("d", "e", "f", "g", "m", "n") ? Integer.getInteger("bench.mobile-requests", 32)
                : 0;
        int rawApns = Integer.getInteger("bench.raw-apns", 50_000);
        int rawFcm = Integer.getInteger("bench.raw-fcm", 10_000);
        int rawHms = Integer.getInteger("bench.raw-hms", 10_000);
        int imageRounds = selected("h", "i") ? Integer.getInteger("bench.images", 20) : 0;
        ApiThroughput.Results api = null;
        double pushy = Double.NaN;
        double firebase = Double.NaN;
        double pushKit = Double.NaN;
        try (FakeApnsServer apns = FakeApnsServer.startAcceptingAll(); FakeFcmServer fcm = FakeFcmServer.start();
                FakeHmsServer hms = FakeHmsServer.start()) {
            fcm.recording(false);
            hms.recording(false);
            if (!Boolean.getBoolean("bench.skip-api") && selected("a", "d", "f", "h", "i", "m")) {
                // The send-function JVM compiles far more code than the raw loops (Quarkus, RESTEasy, the AWS SDK,
                // pushy, firebase-admin): after 48 warm-up requests its JIT threads still took half its CPU during
                // the APNs row, after 200 about a tenth. Both sides are measured warm.
                int mobileWarmup = Integer.getInteger("bench.mobile-warmup", 200);
                api = ApiThroughput.run(2, requests, mobileWarmup, mobileRequests, imageRounds, receivers,
                        concurrency, apns, fcm, hms);
            }
            if (mobileRequests > 0) {
                pushy = RawProviderThroughput.apnsPerSecond(apns, rawApns);
                firebase = RawProviderThroughput.fcmPerSecond(fcm, rawFcm);
                pushKit = RawProviderThroughput.hmsPerSecond(hms, rawHms);
            }
        }
        EventThroughput.Result events = Boolean.getBoolean("bench.skip-events") || !selected("j", "k", "l", "o")
                ? null : EventThroughput.run(selected("j", "k"), selected("l"), selected("o"));

        ColdStart.Results cold = selected("p", "q")
                ? ColdStart.run(Path.of(System.getProperty("bench.cold-root", "").isBlank() ? ".."
                        : System.getProperty("bench.cold-root")).toAbsolutePath().normalize(),
                        selected("p") ? Integer.getInteger("bench.cold-starts", 5) : 0)
                : null;

        boolean jmhRows = !Boolean.getBoolean("bench.skip-jmh") && selected("b", "c");
        double webpushJava = Double.NaN;
        double ours = Double.NaN;
        double webpushJavaError = 0;
        double oursError = 0;
        if (jmhRows) {
            Collection<RunResult> jmh = new Runner(new OptionsBuilder()
                    .include(EncryptionBenchmarks.class.getName())
                    .forks(1).threads(1)
                    .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(4).measurementTime(TimeValue.seconds(2))
                    .verbosity(VerboseMode.SILENT)
                    .build()).run();
            webpushJava = score(jmh, "webpushJavaPreparePost");
            ours = score(jmh, "pushcoreEncrypt");
            webpushJavaError = error(jmh, "webpushJavaPreparePost");
            oursError = error(jmh, "pushcoreEncrypt");
        }

        int cores = Runtime.getRuntime().availableProcessors();
        String line = "+-------------------------------------------------------------+--------------+----------------+";
        System.out.println();
        System.out.println("pushcore benchmark (" + cores + " cores, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ")");
        System.out.println(line);
        System.out.printf("| %-59s | %12s | %-14s |%n", "measurement", "value", "unit");
        System.out.println(line);
        if (api == null) {
            System.out.printf("| %-59s | %12s | %-14s |%n", "(a) web push through the local API", "skipped", "");
        } else {
            apiRows("(a) local API web push", api.webPush());
            ImageThroughput.printRows(api.images());
        }
        if (mobileRequests > 0) {
            mobileRows("(d) local API APNs", api == null ? null : api.apns(),
                    "(e) raw pushy ApnsClient, 1000 in flight, " + rawApns + " pushes", pushy);
            mobileRows("(f) local API FCM", api == null ? null : api.fcm(),
                    "(g) raw firebase-admin sendEach (500s), " + rawFcm + " messages", firebase);
            mobileRows("(m) local API Push Kit", api == null ? null : api.hms(),
                    "(n) raw HmsProvider.sendEach (1000s), " + rawHms + " messages", pushKit);
        }
        if (jmhRows) {
            System.out.printf("| %-59s | %12.0f | %-14s |%n",
                    "(b) webpush-java PushService.preparePost, 1 thread (JMH)", webpushJava,
                    "msgs/s ±" + Math.round(webpushJavaError));
            System.out.printf("| %-59s | %12.0f | %-14s |%n", "(c) pushcore WebPushEncryption.encrypt, 1 thread (JMH)",
                    ours, "msgs/s ±" + Math.round(oursError));
            System.out.printf("| %-59s | %12.1f | %-14s |%n", "    (c) / (b)", ours / webpushJava, "x");
        } else {
            System.out.printf("| %-59s | %12s | %-14s |%n", "(b), (c) encryption micro-benchmarks (JMH)", "skipped",
                    "");
        }
        EventThroughput.printRows(events);
        ColdStart.printRows(cold, selected("p"), selected("q"));
        System.out.println(line);
    }

    private static void apiRows(String name, ApiThroughput.Result r) {
        System.out.printf("| %-59s | %12.0f | %-14s |%n", name + ": " + r.requests() + " x " + r.receiversPerRequest()
                + " receivers, " + r.concurrency() + " in flight", r.receiversPerSecond(), "receivers/s");
        System.out.printf("| %-59s | %12.0f | %-14s |%n", "    request latency p50", r.p50Ms(), "ms");
        System.out.printf("| %-59s | %12.0f | %-14s |%n", "    request latency p95", r.p95Ms(), "ms");
        System.out.printf("| %-59s | %12d | %-14s |%n", "    pushes accepted by the endpoint / receivers failed",
                r.accepted(), "/ " + r.failedReceivers());
    }

    private static void mobileRows(String apiName, ApiThroughput.Result api, String rawName, double raw) {
        if (api == null) {
            System.out.printf("| %-59s | %12s | %-14s |%n", apiName, "skipped", "");
        } else {
            apiRows(apiName, api);
        }
        System.out.printf("| %-59s | %12.0f | %-14s |%n", rawName, raw, "receivers/s");
        if (api != null) {
            double ratio = api.receiversPerSecond() / raw;
            System.out.printf("| %-59s | %12.2f | %-14s |%n", "    API / raw (target >= 0.50)", ratio,
                    ratio >= 0.5 ? "x  met" : "x  MISSED");
        }
    }

    private static RunResult find(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method)).findFirst()
                .orElseThrow(() -> new IllegalStateException("JMH did not run " + method));
    }

    private static double score(Collection<RunResult> results, String method) {
        return find(results, method).getPrimaryResult().getScore();
    }

    private static double error(Collection<RunResult> results, String method) {
        double error = find(results, method).getPrimaryResult().getScoreError();
        return Double.isNaN(error) ? 0 : error;
    }
}
