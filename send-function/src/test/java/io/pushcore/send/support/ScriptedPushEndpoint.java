package io.pushcore.send.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A push service on 127.0.0.1 whose answer depends on the path: {@code /ok/*} 201, {@code /gone/*} 410,
 * {@code /flaky/*} 500 on the first call then 201, {@code /down/*} always 503. Each answer is held briefly so
 * concurrent senders overlap; it records the most requests it ever had in flight.
 */
public final class ScriptedPushEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    public ScriptedPushEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            requests.incrementAndGet();
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getPath();
                int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                Thread.sleep(20);
                int status = path.startsWith("/ok/") ? 201
                        : path.startsWith("/gone/") ? 410
                        : path.startsWith("/flaky/") ? (call == 1 ? 500 : 201)
                        : path.startsWith("/down/") ? 503 : 404;
                exchange.sendResponseHeaders(status, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public int callsTo(String path) {
        AtomicInteger count = calls.get(path);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
