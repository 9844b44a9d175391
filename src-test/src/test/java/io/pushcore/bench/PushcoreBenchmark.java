package io.pushcore.bench;

import java.util.Collection;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the three measurements in one go and prints one table. Sized for about a minute on two cores:
 * {@code -Dbench.requests}, {@code -Dbench.receivers}, {@code -Dbench.concurrency}, {@code -Dbench.instances} change
 * the API part; {@code -Dbench.skip-api=true} leaves it out. {@code -Dbench.events}, {@code -Dbench.event-concurrency}
 * change the client-event part; {@code -Dbench.skip-events=true} leaves it out.
 */
public final class PushcoreBenchmark {

    private PushcoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("bench.requests", 8);
        int receivers = Integer.getInteger("bench.receivers", 1000);
        int concurrency = Integer.getInteger("bench.concurrency", 2);
        ApiThroughput.Result api = Boolean.getBoolean("bench.skip-api") ? null
                : ApiThroughput.run(2, requests, receivers, concurrency);
        EventThroughput.Result events = Boolean.getBoolean("bench.skip-events") ? null : EventThroughput.run();

        Collection<RunResult> jmh = new Runner(new OptionsBuilder()
                .include(EncryptionBenchmarks.class.getName())
                .forks(1).threads(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(4).measurementTime(TimeValue.seconds(2))
                .verbosity(VerboseMode.SILENT)
                .build()).run();
        double webpushJava = score(jmh, "webpushJavaPreparePost");
        double ours = score(jmh, "pushcoreEncrypt");
        double webpushJavaError = error(jmh, "webpushJavaPreparePost");
        double oursError = error(jmh, "pushcoreEncrypt");

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
            System.out.printf("| %-59s | %12.0f | %-14s |%n", "(a) local API web push: " + api.requests()
                    + " x " + api.receiversPerRequest() + " receivers, " + api.concurrency() + " in flight",
                    api.receiversPerSecond(), "receivers/s");
            System.out.printf("| %-59s | %12.0f | %-14s |%n", "    request latency p50", api.p50Ms(), "ms");
            System.out.printf("| %-59s | %12.0f | %-14s |%n", "    request latency p95", api.p95Ms(), "ms");
            System.out.printf("| %-59s | %12d | %-14s |%n", "    pushes accepted by the endpoint / receivers failed",
                    api.accepted(), "/ " + api.failedReceivers());
        }
        System.out.printf("| %-59s | %12.0f | %-14s |%n", "(b) webpush-java PushService.preparePost, 1 thread (JMH)",
                webpushJava, "msgs/s ±" + Math.round(webpushJavaError));
        System.out.printf("| %-59s | %12.0f | %-14s |%n", "(c) pushcore WebPushEncryption.encrypt, 1 thread (JMH)", ours,
                "msgs/s ±" + Math.round(oursError));
        System.out.printf("| %-59s | %12.1f | %-14s |%n", "    (c) / (b)", ours / webpushJava, "x");
        EventThroughput.printRows(events);
        System.out.println(line);
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
