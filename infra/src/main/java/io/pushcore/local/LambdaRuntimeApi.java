package io.pushcore.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Lambda Runtime API (2018-06-01) for one function: invocations wait in a queue until a runtime polls
 * {@code /runtime/invocation/next}; the runtime answers on {@code /response} or {@code /error}. Several runtime
 * processes may poll the same queue, like several warm instances of one function.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html">Lambda Runtime API</a>
 */
public final class LambdaRuntimeApi implements AutoCloseable {

    static final String PREFIX = "/2018-06-01/runtime/";
    private static final String ACCOUNT = "123456789012";

    private final String functionName;
    private final String region;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CountDownLatch firstPoll = new CountDownLatch(1);
    private volatile String initError;

    private record Invocation(String id, byte[] payload, long deadlineMs, CompletableFuture<byte[]> result) {
    }

    public LambdaRuntimeApi(String functionName, String region) throws IOException {
        this.functionName = functionName;
        this.region = region;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** Value for {@code AWS_LAMBDA_RUNTIME_API}: host and port, no scheme. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Queues one invocation. The future completes with the function's response body, or exceptionally with
     * {@link FunctionError} or a {@link TimeoutException} once {@code timeout} has passed (queueing included).
     */
    public CompletableFuture<byte[]> invoke(byte[] payload, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), payload, deadline,
                new CompletableFuture<>());
        invocation.result().whenComplete((body, failure) -> inFlight.remove(invocation.id()));
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

    /** Fails every queued and running invocation, e.g. when the function's process died. */
    public void failAll(String reason) {
        Invocation pending;
        while ((pending = queue.poll()) != null) {
            pending.result().completeExceptionally(new FunctionError("Runtime.Unavailable", reason));
        }
        inFlight.values().forEach(i -> i.result().completeExceptionally(new FunctionError("Runtime.ExitError", reason)));
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
        firstPoll.countDown();
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
        inFlight.put(invocation.id(), invocation);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.id());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMs()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + functionName);
        headers.set("Lambda-Runtime-Trace-Id", traceId(invocation.id()));
        exchange.sendResponseHeaders(200, invocation.payload().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(invocation.payload());
        } catch (IOException e) {
            // the runtime went away while taking it: give the invocation to the next poller
            inFlight.remove(invocation.id());
            queue.add(invocation);
            throw e;
        }
    }

    private void complete(HttpExchange exchange, String rest) throws IOException {
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        String verb = slash < 0 ? "" : rest.substring(slash + 1);
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Invocation invocation = inFlight.get(id);
        if (invocation == null) {
            reply(exchange, 400, "{\"errorMessage\":\"unknown or finished request id\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        switch (verb) {
            case "response" -> invocation.result().complete(body);
            case "error" -> invocation.result().completeExceptionally(new FunctionError(
                    exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"),
                    new String(body, StandardCharsets.UTF_8)));
            default -> {
                reply(exchange, 404, "{\"errorMessage\":\"unknown runtime API path\"}");
                return;
            }
        }
        reply(exchange, 202, "{\"status\":\"OK\"}");
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

    @Override
    public void close() {
        failAll(functionName + " stopped");
        server.stop(0);
        executor.shutdownNow();
    }

    /** What a runtime posted to {@code /invocation/{id}/error}. */
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
