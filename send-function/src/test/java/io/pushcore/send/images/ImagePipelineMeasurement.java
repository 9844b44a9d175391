package io.pushcore.send.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.imageio.ImageIO;

import io.pushcore.model.DataContent;
import io.pushcore.net.NetworkPolicy;
import io.pushcore.testing.aws.LocalAws;

/**
 * Not a test: prints how long context creation takes with three fresh images from a local origin (s3proxy as the CDN
 * bucket), and how many images per second the resizer turns out. Run from send-function with the test classpath:
 * {@code java -cp target/test-classes:target/classes:<deps> io.pushcore.send.images.ImagePipelineMeasurement}.
 */
public final class ImagePipelineMeasurement {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        try (LocalAws aws = LocalAws.startInProcess(); FakeImageServer origin = new FakeImageServer();
                ImageFetcher fetcher = new ImageFetcher(CheckedResolver.of(new NetworkPolicy(true)),
                        new ImageFetcher.Limits(Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(8),
                                5 * 1024 * 1024, 3))) {
            aws.createBucket("pushcore-cdn");
            ImageResizer resizer = new ImageResizer(40_000_000);
            ImagePipeline pipeline = new ImagePipeline(fetcher, resizer, new S3ImageStore(aws.s3(), "pushcore-cdn"),
                    "http://localhost/cdn/", 2, Duration.ZERO);

            byte[] icon = encode(photo(512, 512, 1), "png");
            byte[] small = encode(photo(256, 256, 2), "png");
            byte[] hero = encode(photo(2400, 1600, 3), "jpeg");
            System.out.printf("inputs: icon 512x512 PNG %d KB, smallIcon 256x256 PNG %d KB, image 2400x1600 JPEG %d KB%n",
                    icon.length / 1024, small.length / 1024, hero.length / 1024);

            List<Long> millis = new ArrayList<>();
            for (int round = 0; round < rounds + 5; round++) {
                // Different bytes each round, so every round downloads, resizes and PUTs three new objects.
                origin.serve("/r" + round + "/icon.png", vary(icon, round), "image/png");
                origin.serve("/r" + round + "/small.png", vary(small, round), "image/png");
                origin.serve("/r" + round + "/hero.jpg", vary(hero, round), "image/jpeg");
                DataContent content = new DataContent("t", "b", null, origin.url("/r" + round + "/icon.png"),
                        origin.url("/r" + round + "/small.png"), origin.url("/r" + round + "/hero.jpg"), null, null,
                        null, null, List.of(), null, null, null);
                long start = System.nanoTime();
                pipeline.rehost(content, "");
                if (round >= 5) {
                    millis.add((System.nanoTime() - start) / 1_000_000);
                }
            }
            Collections.sort(millis);
            System.out.printf("context creation with 3 images (%d rounds after 5 warm-up): median %d ms, p90 %d ms, "
                    + "max %d ms%n", millis.size(), millis.get(millis.size() / 2), millis.get(millis.size() * 9 / 10),
                    millis.get(millis.size() - 1));

            for (int threads : new int[] { 1, 2 }) {
                throughput(resizer, hero, ImageVariant.IMAGE, "2400x1600 JPEG -> image", threads);
                throughput(resizer, icon, ImageVariant.ICON, "512x512 PNG -> icon", threads);
            }
        }
    }

    private static void throughput(ImageResizer resizer, byte[] input, ImageVariant variant, String label, int threads)
            throws Exception {
        for (int i = 0; i < 5; i++) {
            resizer.resize(input, variant);
        }
        int perThread = 40;
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        resizer.resize(input, variant);
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("resize %-26s %d thread(s): %.1f images/s%n", label, threads, threads * perThread / seconds);
    }

    /** A smooth gradient with some texture: compresses like a photo rather than like a flat test card. */
    private static BufferedImage photo(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(seed);
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

    private static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    private static byte[] vary(byte[] encoded, int round) {
        BufferedImage image = TestImages.decode(encoded);
        image.setRGB(0, 0, round * 7919);
        image.setRGB(1, 0, round * 104729);
        try {
            return encode(image, encoded[0] == (byte) 0x89 ? "png" : "jpeg");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
