package io.pushcore.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Lambda Runtime API (2018-06-01) for one function: invocations wait in one queue until a runtime polls
 * {@code /runtime/invocation/next}; the runtime answers on {@code /response} or {@code /error}. Each instance (execution
 * environment) gets its own {@link Endpoint}, an HTTP server of its own on the shared queue, so the API knows which
 * instance holds which invocation ({@code AWS_LAMBDA_RUNTIME_API} is only host:port).
 *
 * <p>Like Lambda, an invocation that is still running at its deadline ({@code Lambda-Runtime-Deadline-Ms}: the
 * function timeout from when a runtime took it) fails with {@code Sandbox.Timedout}; its endpoint's listener is told so
 * the instance can be reset, and later answers for that id are refused as unknown.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html">Lambda Runtime API</a>
 */
public final class LambdaRuntimeApi implements AutoCloseable {

    static final String PREFIX = "/2018-06-01/runtime/";
    /** The errorType Lambda reports for an invocation that ran into the function timeout. */
    public static final String TIMED_OUT = "Sandbox.Timedout";
    private static final String ACCOUNT = "123456789012";

    private final String functionName;
    private final String region;
    private final Duration functionTimeout;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("runtime-api-deadlines").factory());
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstPoll = new CountDownLatch(1);
    private volatile String initError;

    private record Invocation(String id, byte[] payload, CompletableFuture<byte[]> result) {
    }

    /** An invocation a runtime has taken and not answered yet. */
    private record Taken(Invocation invocation, long startNanos, ScheduledFuture<?> deadline) {
    }

    /** What an endpoint's listener hears when an invocation it held ran into the function timeout. */
    public record TimedOut(String requestId, Duration elapsed) {
    }

    /**
     * @param functionTimeout the function's configured timeout ({@code Timeout} in {@code template.yaml}): how long an
     *                        invocation may run once a runtime took it
     */
    public LambdaRuntimeApi(String functionName, String region, Duration functionTimeout) {
        this.functionName = functionName;
        this.region = region;
        this.functionTimeout = functionTimeout;
    }

    /**
     * Opens the Runtime API for one more instance on its own port. {@code onTimeout} runs (on a timer thread, keep it
     * short) after an invocation this endpoint held has already failed with {@value #TIMED_OUT}.
     */
    public Endpoint endpoint(String instance, Consumer<TimedOut> onTimeout) throws IOException {
        Endpoint endpoint = new Endpoint(instance, onTimeout);
        endpoints.add(endpoint);
        return endpoint;
    }

    public Duration functionTimeout() {
        return functionTimeout;
    }

    /**
     * Queues one invocation. The future completes with the function's response body, or exceptionally with
     * {@link FunctionError} (also for a function timeout) or a {@link TimeoutException} once {@code timeout} has passed
     * (queueing included): the caller's own limit, such as API Gateway's integration timeout.
     */
    public CompletableFuture<byte[]> invoke(byte[] payload, Duration timeout) {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), payload, new CompletableFuture<>());
        queue.add(invocation);
        return invocation.result().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until a runtime has asked for its first invocation, which means the function finished its init. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return firstPoll.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The error a runtime reported on {@code /runtime/init/error}, or null. */
    public String initError() {
        return initError;
    }

    /** Fails every queued and running invocation, e.g. when no instance of the function is running any more. */
    public void failAll(String reason) {
        Invocation pending;
        while ((pending = queue.poll()) != null) {
            pending.result().completeExceptionally(new FunctionError("Runtime.Unavailable", reason));
        }
        endpoints.forEach(e -> e.failInFlight(reason));
    }

    private static String traceId(String requestId) {
        String hex = requestId.replace("-", "");
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + hex.substring(0, 24)
                + ";Parent=" + hex.substring(16, 32) + ";Sampled=0";
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Lambda's answer for an invocation that ran into the timeout, as its Invoke API returns it. */
    static String timeoutError(String requestId, Duration timeout) {
        return "{\"errorMessage\":\"RequestId: " + requestId + " Error: Task timed out after "
                + seconds(timeout) + " seconds\",\"errorType\":\"" + TIMED_OUT + "\"}";
    }

    /** Seconds with two decimals, as Lambda writes them in "Task timed out after 3.00 seconds". */
    public static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f", duration.toNanos() / 1e9);
    }

    @Override
    public void close() {
        failAll(functionName + " stopped");
        endpoints.forEach(e -> e.server.stop(0));
        deadlines.shutdownNow();
        executor.shutdownNow();
    }

    /** One instance's view of the Runtime API: its own port, the shared queue, the invocations it holds. */
    public final class Endpoint {
        private final String instance;
        private final Consumer<TimedOut> onTimeout;
        private final HttpServer server;
        private final Map<String, Taken> inFlight = new ConcurrentHashMap<>();
        /** Which process serves this endpoint; a poll left open by an earlier one hands its invocation back. */
        private volatile int generation;
        private volatile CountDownLatch polled = new CountDownLatch(1);

        private Endpoint(String instance, Consumer<TimedOut> onTimeout) throws IOException {
            this.instance = instance;
            this.onTimeout = onTimeout;
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(executor);
            server.createContext(PREFIX, this::handle);
            server.start();
        }

        /** Value for {@code AWS_LAMBDA_RUNTIME_API}: host and port, no scheme. */
        public String address() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        public String instance() {
            return instance;
        }

        /**
         * The process behind this endpoint was stopped and another is starting (a redeploy): a poll the old one left
         * open gives back what it takes instead of writing it to a dead connection, and {@link #awaitPoll} waits for
         * the new process.
         */
        public void replaceProcess() {
            polled = new CountDownLatch(1);
            generation++;
        }

        /** Waits until the current process has asked for an invocation, which means its init finished. */
        public boolean awaitPoll(Duration timeout) throws InterruptedException {
            return polled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Fails what this instance holds, e.g. when its process died; later answers for those ids are refused. */
        public void failInFlight(String reason) {
            for (String id : inFlight.keySet()) {
                Taken taken = inFlight.remove(id);
                if (taken != null) {
                    taken.deadline().cancel(false);
                    taken.invocation().result().completeExceptionally(new FunctionError("Runtime.ExitError", reason));
                }
            }
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
                String method = exchange.getRequestMethod();
                if (method.equals("GET") && path.equals("invocation/next")) {
                    next(exchange);
                } else if (method.equals("POST") && path.equals("init/error")) {
                    initError = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    reply(exchange, 202, "{\"status\":\"OK\"}");
                } else if (method.equals("POST") && path.startsWith("invocation/")) {
                    complete(exchange, path.substring("invocation/".length()));
                } else {
                    reply(exchange, 404, "{\"errorMessage\":\"unknown runtime API path\"}");
                }
            }
        }

        private void next(HttpExchange exchange) throws IOException {
            int poller = generation;
            firstPoll.countDown();
            polled.countDown();
            Invocation invocation;
            try {
                do {
                    invocation = queue.take();
                } while (invocation.result().isDone());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(exchange, 500, "{\"errorMessage\":\"runtime API shutting down\"}");
                return;
            }
            if (poller != generation) {
                // polled by a process that has since been replaced: the invocation belongs to a live one, and the
                // poller gets an error (no silent close, which an HTTP client may retry as a fresh poll)
                queue.add(invocation);
                try {
                    reply(exchange, 500, "{\"errorMessage\":\"this runtime was replaced\"}");
                } catch (IOException e) {
                    // the replaced process is gone
                }
                return;
            }
            long start = System.nanoTime();
            long deadlineMs = System.currentTimeMillis() + functionTimeout.toMillis();
            Invocation taken = invocation;
            inFlight.put(taken.id(), new Taken(taken, start,
                    deadlines.schedule(() -> timeOut(taken.id()), functionTimeout.toNanos(), TimeUnit.NANOSECONDS)));
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "application/json");
            headers.set("Lambda-Runtime-Aws-Request-Id", taken.id());
            headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(deadlineMs));
            headers.set("Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + functionName);
            headers.set("Lambda-Runtime-Trace-Id", traceId(taken.id()));
            try {
                exchange.sendResponseHeaders(200, taken.payload().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(taken.payload());
                }
            } catch (IOException e) {
                // the runtime went away while taking it: give the invocation to the next poller
                Taken lost = inFlight.remove(taken.id());
                if (lost != null) {
                    lost.deadline().cancel(false);
                    queue.add(taken);
                }
                throw e;
            }
        }

        /** The deadline passed with the invocation still here: fail it as Lambda does and tell the listener. */
        private void timeOut(String id) {
            Taken taken = inFlight.remove(id);
            if (taken == null) {
                return;
            }
            taken.invocation().result().completeExceptionally(
                    new FunctionError(TIMED_OUT, timeoutError(id, functionTimeout)));
            onTimeout.accept(new TimedOut(id, Duration.ofNanos(System.nanoTime() - taken.startNanos())));
        }

        private void complete(HttpExchange exchange, String rest) throws IOException {
            int slash = rest.indexOf('/');
            String id = slash < 0 ? rest : rest.substring(0, slash);
            String verb = slash < 0 ? "" : rest.substring(slash + 1);
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!verb.equals("response") && !verb.equals("error")) {
                reply(exchange, 404, "{\"errorMessage\":\"unknown runtime API path\"}");
                return;
            }
            // only the instance that took the invocation may answer it, and only before its deadline
            Taken taken = inFlight.remove(id);
            if (taken == null) {
                reply(exchange, 400,
                        "{\"errorMessage\":\"unknown or finished request id\",\"errorType\":\"InvalidRequestID\"}");
                return;
            }
            taken.deadline().cancel(false);
            // a no-op when the caller already gave up (integration timeout): the function still finished
            if (verb.equals("response")) {
                taken.invocation().result().complete(body);
            } else {
                taken.invocation().result().completeExceptionally(new FunctionError(
                        exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"),
                        new String(body, StandardCharsets.UTF_8)));
            }
            reply(exchange, 202, "{\"status\":\"OK\"}");
        }
    }

    /** What a runtime posted to {@code /invocation/{id}/error}, or the error Lambda itself reports (timeout, exit). */
    public static final class FunctionError extends RuntimeException {
        private final String errorType;

        public FunctionError(String errorType, String body) {
            super(errorType + ": " + body);
            this.errorType = errorType;
        }

        public String errorType() {
            return errorType;
        }
    }
}
