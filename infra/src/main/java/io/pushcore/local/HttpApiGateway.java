package io.pushcore.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * API Gateway HTTP API in front of the functions: routes by {@link Route#TABLE}, hands each request to the function's
 * {@link LambdaRuntimeApi} as a payload 2.0 event and answers with its result, or with API Gateway's own replies
 * (404 no route, 413 too large, 500 function error including the function's own timeout, 503 integration timeout).
 *
 * <p>Connections persist as HTTP/1.1 says (RFC 9112 §9): open for the next request unless the request says
 * {@code Connection: close} (or is HTTP/1.0 without keep-alive), and every response after which the connection closes
 * says {@code Connection: close}. The JDK server underneath closes such connections without telling the client, and
 * keep-alive clients (Node's default agent under node-fetch up to 2.6.12, which CORE's JS SDK uses) then send their
 * next request on a dead socket. Every request body is read to its end (up to the payload limit), so a refused request does not cost
 * the connection either. Idle connections are closed after {@code sun.net.httpserver.idleInterval} (30 s), as any
 * server's idle timeout; clients retry those or, like Node's agent, drop idle sockets sooner.
 */
public final class HttpApiGateway implements AutoCloseable {

    /** API Gateway's hard integration timeout. */
    public static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);
    /** Lambda's synchronous invocation payload limit; API Gateway itself allows 10 MB. */
    static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<LambdaFunction, LambdaRuntimeApi> functions;
    private final Duration timeout;
    private volatile PublicBucket publicBucket;
    private volatile LocalDashboard dashboard;

    public HttpApiGateway(int port, Map<LambdaFunction, LambdaRuntimeApi> functions, Duration timeout)
            throws IOException {
        this.functions = Map.copyOf(functions);
        this.timeout = timeout;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Serves {@code bucket} (read-only, its public prefix only) next to the API, as the CDN would in AWS. */
    public void serve(PublicBucket bucket) {
        this.publicBucket = bucket;
    }

    /** Serves the local dashboard at {@code /_local/}: answered here, never routed to a function. */
    public void serve(LocalDashboard localDashboard) {
        this.dashboard = localDashboard;
    }

    public URI baseUri() {
        return URI.create("http://localhost:" + port());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString();
            exchange.getResponseHeaders().set("apigw-requestid", requestId);
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_EVENT_BYTES + 1);
            }
            // Past the limit the rest of the body stays unread, and the server then drops the connection.
            if (asksToClose(exchange) || body.length > MAX_EVENT_BYTES) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            String path = exchange.getRequestURI().getRawPath();
            LocalDashboard local = dashboard;
            if (local != null && local.handles(path)) {
                send(exchange, local.serve(exchange.getRequestMethod(), path));
                return;
            }
            PublicBucket bucket = publicBucket;
            if (bucket != null && bucket.handles(path)) {
                send(exchange, bucket.serve(exchange.getRequestMethod(), path));
                return;
            }
            var match = Route.find(exchange.getRequestMethod(), path);
            LambdaRuntimeApi function = match.map(m -> functions.get(m.route().function())).orElse(null);
            if (function == null) {
                send(exchange, gatewayError(404, "Not Found"));
                return;
            }
            if (body.length > MAX_EVENT_BYTES) {
                send(exchange, gatewayError(413, "Request Entity Too Large"));
                return;
            }
            var request = new HttpApiEvents.Request(exchange.getRequestMethod(), path,
                    exchange.getRequestURI().getRawQuery(), exchange.getProtocol(), exchange.getRequestHeaders(),
                    body, exchange.getRemoteAddress().getAddress().getHostAddress());
            byte[] event = HttpApiEvents.JSON.writeValueAsBytes(
                    HttpApiEvents.toEvent(request, match.get(), requestId, Instant.now()));
            if (event.length > MAX_EVENT_BYTES) {
                send(exchange, gatewayError(413, "Request Entity Too Large"));
                return;
            }
            send(exchange, invoke(function, event));
        }
    }

    /**
     * Whether the client's {@code Connection} header lists {@code close}. The JDK server closes after the response
     * then (it checks only a header that is exactly {@code close}) but does not say so; a {@code Connection: close}
     * response header makes it close in every case and tells the client.
     */
    private static boolean asksToClose(HttpExchange exchange) {
        return exchange.getRequestHeaders().getOrDefault("Connection", List.of()).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .anyMatch(token -> token.strip().equalsIgnoreCase("close"));
    }

    private HttpApiEvents.Response invoke(LambdaRuntimeApi function, byte[] event) {
        try {
            return HttpApiEvents.toResponse(function.invoke(event, timeout).get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                return gatewayError(503, "Service Unavailable");
            }
            return gatewayError(500, "Internal Server Error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return gatewayError(503, "Service Unavailable");
        }
    }

    private static HttpApiEvents.Response gatewayError(int status, String message) {
        return new HttpApiEvents.Response(status, List.of(Map.entry("content-type", "application/json")),
                ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, HttpApiEvents.Response response) throws IOException {
        response.headers().forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue()));
        boolean noBody = response.body().length == 0 || exchange.getRequestMethod().equals("HEAD")
                || response.statusCode() == 204 || response.statusCode() == 304;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : response.body().length);
        if (!noBody) {
            exchange.getResponseBody().write(response.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
