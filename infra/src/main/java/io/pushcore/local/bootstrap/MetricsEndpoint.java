package io.pushcore.local.bootstrap;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Locally only: the function's Prometheus registry at {@code http://127.0.0.1:<port>/q/metrics}, for the local
 * runner's dashboard. send-function and event-function serve HTTP only through their Lambda handler (Quarkus' virtual
 * HTTP server), so their own {@code /q/metrics} has no port to scrape; this reads the same registry in the same JVM.
 * Quarkus makes Micrometer's global registry its root, so the Prometheus registry is found among its registries, by
 * reflection, as this class needs nothing beyond the JDK on its class path.
 *
 * <p>Started by {@link LambdaJavaRuntime} when {@value #ENABLE} is set (the local runner sets it), after the
 * handler's init; it prints {@value #ANNOUNCEMENT} and its URL, which the runner reads from the process's output.
 */
public final class MetricsEndpoint {

    public static final String ENABLE = "PUSHCORE_LOCAL_METRICS";
    public static final String ANNOUNCEMENT = "pushcore-local metrics at ";

    private MetricsEndpoint() {
    }

    /** Serves {@code /q/metrics} on a free loopback port, on one daemon thread, and announces its URL. */
    static void start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/q/metrics", MetricsEndpoint::scrape);
        server.start();
        System.out.println(ANNOUNCEMENT + "http://127.0.0.1:" + server.getAddress().getPort() + "/q/metrics");
    }

    private static void scrape(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            int status;
            try {
                body = prometheusText().getBytes(StandardCharsets.UTF_8);
                status = 200;
            } catch (ReflectiveOperationException | RuntimeException e) {
                body = ("no Prometheus registry: " + e).getBytes(StandardCharsets.UTF_8);
                status = 503;
            }
            exchange.getResponseHeaders().set("content-type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** {@code Metrics.globalRegistry.getRegistries()}' Prometheus registry's {@code scrape()}. */
    private static String prometheusText() throws ReflectiveOperationException {
        Object global = Class.forName("io.micrometer.core.instrument.Metrics").getField("globalRegistry").get(null);
        Collection<?> registries = (Collection<?>) global.getClass().getMethod("getRegistries").invoke(global);
        for (Object registry : registries) {
            if (registry.getClass().getSimpleName().equals("PrometheusMeterRegistry")) {
                Method scrape = registry.getClass().getMethod("scrape");
                return (String) scrape.invoke(registry);
            }
        }
        throw new IllegalStateException("none among " + registries.size() + " registries");
    }
}
