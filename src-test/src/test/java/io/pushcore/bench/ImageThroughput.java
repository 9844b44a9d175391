package io.pushcore.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpServer;

/**
 * Context creation with images through the local API: every context names three images on a local origin (icon
 * 512×512 PNG, small icon 256×256 PNG, image 2400×1600 JPEG) that send-function downloads, checks, resizes and
 * stores in the CDN bucket before it answers. Every context gets images it has not seen (a corner block differs), so
 * no round is served from the warm instance's URL cache or the content-hash dedup.
 */
final class ImageThroughput {

    /**
     * @param p50Ms / p95Ms context creation with three new images, one at a time
     * @param plainP50Ms context creation without images, one at a time (what the images add is the difference)
     * @param imagesPerSecond images resized and stored per second with {@code concurrency} creations in flight
     */
    record Result(int rounds, double p50Ms, double p95Ms, double plainP50Ms, int concurrency, int images,
            double imagesPerSecond) {
    }

    private static final int WARMUP = 3;

    private ImageThroughput() {
    }

    /**
     * @param create posts a data context body (and fails unless it is answered 2xx)
     * @param storedImages counts the images in the CDN bucket, to prove every context's images were stored
     */
    static Result run(Consumer<Map<String, Object>> create, LongSupplier storedImages, int rounds, int concurrency)
            throws Exception {
        byte[] icon = encode(photo(512, 512, 1), "png");
        byte[] smallIcon = encode(photo(256, 256, 2), "png");
        byte[] image = encode(photo(2400, 1600, 3), "jpeg");
        Map<String, byte[]> served = new ConcurrentHashMap<>();
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        origin.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        origin.createContext("/img/", exchange -> {
            try (exchange) {
                byte[] bytes = served.get(exchange.getRequestURI().getPath());
                if (bytes == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.getResponseHeaders().set("content-type", bytes[0] == (byte) 0x89 ? "image/png" : "image/jpeg");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        origin.start();
        String base = "http://127.0.0.1:" + origin.getAddress().getPort() + "/img/";
        try {
            // One context's images: unique paths and bytes, prepared before the clock starts.
            Function<Integer, Map<String, Object>> context = round -> {
                String prefix = "/img/" + round + "/";
                served.put(prefix + "icon.png", vary(icon, "png", round));
                served.put(prefix + "small.png", vary(smallIcon, "png", round));
                served.put(prefix + "image.jpg", vary(image, "jpeg", round));
                return Map.of("title", "Images", "body", "benchmark", "icon", base + round + "/icon.png",
                        "smallIcon", base + round + "/small.png", "image", base + round + "/image.jpg");
            };
            List<Double> withImages = new ArrayList<>();
            List<Double> plain = new ArrayList<>();
            int next = 0;
            for (int i = 0; i < WARMUP + rounds; i++) {
                Map<String, Object> body = context.apply(next++);
                long t0 = System.nanoTime();
                create.accept(body);
                double ms = (System.nanoTime() - t0) / 1e6;
                long t1 = System.nanoTime();
                create.accept(Map.of("title", "No images", "body", "benchmark"));
                double plainMs = (System.nanoTime() - t1) / 1e6;
                if (i >= WARMUP) {
                    withImages.add(ms);
                    plain.add(plainMs);
                }
            }

            long storedBefore = storedImages.getAsLong();
            List<Map<String, Object>> bodies = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                bodies.add(context.apply(next++));
            }
            long start = System.nanoTime();
            try (ExecutorService clients = Executors.newFixedThreadPool(concurrency)) {
                List<Future<?>> futures = new ArrayList<>();
                for (Map<String, Object> body : bodies) {
                    futures.add(clients.submit(() -> create.accept(body)));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long stored = storedImages.getAsLong() - storedBefore;
            if (stored != 3L * rounds) {
                // The contexts were answered without their images in the CDN: the numbers would mean nothing.
                throw new IllegalStateException(stored + " images stored for " + 3 * rounds + " sent");
            }
            Collections.sort(withImages);
            Collections.sort(plain);
            return new Result(rounds, percentile(withImages, 50), percentile(withImages, 95), percentile(plain, 50),
                    concurrency, 3 * rounds, 3 * rounds / seconds);
        } finally {
            origin.stop(0);
        }
    }

    static void printRows(Result r) {
        if (r == null) {
            return;
        }
        row("(h) data context with 3 new images, " + r.rounds() + " one at a time, p50", r.p50Ms(), "ms");
        row("    same, p95", r.p95Ms(), "ms");
        row("    data context without images, p50", r.plainP50Ms(), "ms");
        row("(i) images fetched+resized+stored: " + r.images() + ", " + r.concurrency() + " contexts in flight",
                r.imagesPerSecond(), "images/s");
    }

    private static void row(String name, double value, String unit) {
        System.out.printf("| %-59s | %12.0f | %-14s |%n", name, value, unit);
    }

    /** A gradient with noise: compresses like a photo rather than like a flat test card. */
    private static BufferedImage photo(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(24)) & 0xFF;
                int g = (y * 255 / height + random.nextInt(24)) & 0xFF;
                int b = ((x + y) * 127 / (width + height) + random.nextInt(24)) & 0xFF;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    /** {@code encoded} with a corner block coloured by {@code round}: same size and format, different content. */
    private static byte[] vary(byte[] encoded, String format, int round) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
            // A block big enough to survive the downscale: stored images are keyed by the hash of the output.
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(round * 7919 & 0xFFFFFF));
            g.fillRect(0, 0, 64, 64);
            g.dispose();
            return encode(image, format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
