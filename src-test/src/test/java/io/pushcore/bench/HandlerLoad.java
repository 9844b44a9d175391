package io.pushcore.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.pushcore.local.bootstrap.LambdaHandler;

/**
 * Calls a function's handler directly, many threads at once, as the managed Java runtime does on Lambda Managed
 * Instances, but without the Runtime API between: what the function itself sustains, without the local emulation's
 * HTTP hops (which Lambda's own fleet carries in AWS). Runs in a process started by
 * {@link io.pushcore.local.LocalRunner#handlerProcess}, so only the JDK, the function's zip and {@link LambdaHandler}
 * are on its class path.
 *
 * <p>Arguments: a file with one invocation payload (JSON, one line) per line, then phases {@code threads:count}
 * taking the next {@code count} payloads, from the first again after the last (a warm-up phase may repeat them).
 * Prints one line per phase: {@code phase <threads> <count> <answered 201> <nanoseconds> <timed out>}, the time
 * running from the phase's start to its last 201.
 *
 * <p>An invocation still running after {@link #TIMEOUT_MS} (event-function's function timeout) is interrupted and
 * counted as timed out, as Lambda would end it: Quarkus' {@code LambdaHttpHandler} has been seen to wait forever for a
 * response (about once in half a million invocations, in the runs here), and one stuck call must not stop the run.
 */
public final class HandlerLoad {

    static final long TIMEOUT_MS = 10_000;

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
            int first = offset;
            offset = (offset + count) % payloads.size();
            long start = System.nanoTime();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger created = new AtomicInteger();
            AtomicInteger timedOut = new AtomicInteger();
            // the phase's time runs to its last 201: a call stuck until its timeout must not stretch it
            AtomicLong lastAnswer = new AtomicLong(start);
            // per worker: when its current invocation's deadline passes (ms); 0 between invocations, -1 once timed out
            AtomicLongArray deadlines = new AtomicLongArray(threads);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    for (int n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
                        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
                        deadlines.set(worker, deadline);
                        try {
                            byte[] response = handler.invoke(payloads.get((first + n) % payloads.size()),
                                    UUID.randomUUID().toString(), arn, deadline, null);
                            if (new String(response, StandardCharsets.UTF_8).contains("\"statusCode\":201")) {
                                created.incrementAndGet();
                                lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                            }
                        } catch (Throwable e) {
                            e.printStackTrace();
                        } finally {
                            deadlines.set(worker, 0);
                            Thread.interrupted();
                        }
                    }
                }));
            }
            for (Thread worker : workers) {
                while (worker.isAlive()) {
                    worker.join(1_000);
                    long now = System.currentTimeMillis();
                    for (int t = 0; t < threads; t++) {
                        long deadline = deadlines.get(t);
                        if (deadline != 0 && deadline < now && deadlines.compareAndSet(t, deadline, -1)) {
                            timedOut.incrementAndGet();
                            workers.get(t).interrupt();
                        }
                    }
                }
            }
            System.out.println("phase " + threads + " " + count + " " + created.get() + " "
                    + (lastAnswer.get() - start) + " " + timedOut.get());
        }
        System.exit(0);
    }
}
