package io.pushcore.provider.webpush;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.pushcore.testing.webpush.FakeWebPushServer;

/**
 * A quick manual measurement of {@link WebPushEncryption}, not a test: encryptions per second for a typical
 * 600-byte payload, per wall-clock second and per second of CPU time the encrypting threads got (the per-core rate,
 * which stays meaningful when other processes share the machine). The JMH benchmark in src-test is the proper one.
 * Run with the test classpath: {@code java -cp <classpath> io.pushcore.provider.webpush.WebPushEncryptionThroughput
 * [seconds]}.
 */
public final class WebPushEncryptionThroughput {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        WebPushEncryption encryption = new WebPushEncryption();
        byte[] uaPublic = Base64.getUrlDecoder().decode(FakeWebPushServer.newVapidKeys().publicKey());
        byte[] auth = new byte[16];
        byte[] payload = ("{\"title\":\"" + "x".repeat(560) + "\"}").getBytes(StandardCharsets.UTF_8);
        int cores = Runtime.getRuntime().availableProcessors();

        run(encryption, payload, uaPublic, auth, 1, 2);
        System.out.printf("java %s, %d cores, load average %.2f%n", Runtime.version(), cores,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int threads : new int[] { 1, cores }) {
            double[] rates = run(encryption, payload, uaPublic, auth, threads, seconds);
            System.out.printf("%d thread(s): %,8.0f encryptions/s wall clock, %,8.0f per CPU-second%n", threads,
                    rates[0], rates[1]);
        }
    }

    private static double[] run(WebPushEncryption encryption, byte[] payload, byte[] uaPublic, byte[] auth,
            int threads, double seconds) throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        try (ExecutorService executor = Executors.newFixedThreadPool(threads)) {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(executor.submit(() -> {
                    long cpuStart = THREADS.getCurrentThreadCpuTime();
                    long n = 0;
                    while (System.nanoTime() < end) {
                        encryption.encrypt(payload, uaPublic, auth);
                        n++;
                    }
                    return new long[] { n, THREADS.getCurrentThreadCpuTime() - cpuStart };
                }));
            }
            long count = 0;
            long cpuNanos = 0;
            for (Future<long[]> result : results) {
                count += result.get()[0];
                cpuNanos += result.get()[1];
            }
            return new double[] { count / ((System.nanoTime() - start) / 1e9), count / (cpuNanos / 1e9) };
        }
    }
}
