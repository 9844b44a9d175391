package io.pushcore.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.pushcore.local.bootstrap.LambdaHandler;

/**
 * Calls a function's handler directly, many threads at once, as the managed Java runtime does on Lambda Managed
 * Instances, but without the Runtime API between: what the function itself sustains, without the local emulation's
 * HTTP hops (which Lambda's own fleet carries in AWS). Runs in a process started by
 * {@link io.pushcore.local.LocalRunner#handlerProcess}, so only the JDK, the function's zip and {@link LambdaHandler}
 * are on its class path.
 *
 * <p>Arguments: a file with one invocation payload (JSON, one line) per line, then phases {@code threads:count}
 * taking the next {@code count} payloads. Prints one line per phase:
 * {@code phase <threads> <count> <answered 201> <nanoseconds>}.
 */
public final class HandlerLoad {

    private HandlerLoad() {
    }

    public static void main(String[] args) throws Throwable {
        List<byte[]> payloads = Files.readAllLines(Path.of(args[0])).stream()
                .map(line -> line.getBytes(StandardCharsets.UTF_8)).toList();
        LambdaHandler handler = LambdaHandler.load(System.getenv("_HANDLER"));
        String arn = "arn:aws:lambda:" + System.getenv("AWS_REGION") + ":123456789012:function:"
                + System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        int offset = 0;
        for (int i = 1; i < args.length; i++) {
            String[] phase = args[i].split(":");
            int threads = Integer.parseInt(phase[0]);
            int count = Integer.parseInt(phase[1]);
            List<byte[]> slice = payloads.subList(offset, offset + count);
            offset += count;
            AtomicInteger next = new AtomicInteger();
            AtomicInteger created = new AtomicInteger();
            List<Thread> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    for (int n = next.getAndIncrement(); n < slice.size(); n = next.getAndIncrement()) {
                        try {
                            byte[] response = handler.invoke(slice.get(n), UUID.randomUUID().toString(), arn,
                                    System.currentTimeMillis() + 10_000);
                            if (new String(response, StandardCharsets.UTF_8).contains("\"statusCode\":201")) {
                                created.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            e.printStackTrace();
                        }
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            System.out.println("phase " + threads + " " + count + " " + created.get() + " "
                    + (System.nanoTime() - start));
        }
        System.exit(0);
    }
}
