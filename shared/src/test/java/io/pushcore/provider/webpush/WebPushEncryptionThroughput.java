package io.pushcore.provider.webpush;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.pushcore.testing.webpush.FakeWebPushServer;

/**
 * A quick manual measurement of {@link WebPushEncryption}, not a test: encryptions per second on one thread and on
 * all cores, for a typical 600-byte payload. The JMH benchmark in src-test is the proper one. Run with the test
 * classpath, e.g. {@code java -cp <classpath> io.pushcore.provider.webpush.WebPushEncryptionThroughput [seconds]}.
 */
public final class WebPushEncryptionThroughput {

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        WebPushEncryption encryption = new WebPushEncryption();
        FakeWebPushServer.VapidKeyStrings receiver = FakeWebPushServer.newVapidKeys();
        byte[] uaPublic = Base64.getUrlDecoder().decode(receiver.publicKey());
        byte[] auth = new byte[16];
        byte[] payload = ("{\"title\":\"" + "x".repeat(560) + "\"}").getBytes(StandardCharsets.UTF_8);

        run(encryption, payload, uaPublic, auth, 1, 2); // warm-up
        double single = run(encryption, payload, uaPublic, auth, 1, seconds);
        int cores = Runtime.getRuntime().availableProcessors();
        double all = run(encryption, payload, uaPublic, auth, cores, seconds);
        System.out.printf("java %s, %d cores%n", Runtime.version(), cores);
        System.out.printf("1 thread:   %,.0f encryptions/s%n", single);
        System.out.printf("%d threads:  %,.0f encryptions/s (%,.0f per core)%n", cores, all, all / cores);
    }

    private static double run(WebPushEncryption encryption, byte[] payload, byte[] uaPublic, byte[] auth, int threads,
            double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        try (ExecutorService executor = Executors.newFixedThreadPool(threads)) {
            List<Future<Long>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                counts.add(executor.submit(() -> {
                    long n = 0;
                    while (System.nanoTime() < end) {
                        encryption.encrypt(payload, uaPublic, auth);
                        n++;
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> count : counts) {
                total += count.get();
            }
            return total / ((System.nanoTime() - start) / 1e9);
        }
    }
}
