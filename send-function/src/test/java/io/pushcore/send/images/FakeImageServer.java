package io.pushcore.send.images;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** An image origin on 127.0.0.1: static bodies, redirects, error statuses, and endless or trickling bodies. */
final class FakeImageServer implements AutoCloseable {

    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** How far a streamed body got before the client hung up, and when the server noticed. */
    static final class Stream {
        final AtomicLong written = new AtomicLong();
        final CountDownLatch finished = new CountDownLatch(1);

        long awaitWritten() throws InterruptedException {
            if (!finished.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the stream is still being written");
            }
            return written.get();
        }
    }

    private final HttpServer server;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    FakeImageServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                Handler handler = routes.get(path);
                if (handler == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    handler.handle(exchange);
                }
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Requests for any path so far. */
    int totalHits() {
        return hits.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    FakeImageServer serve(String path, byte[] body, String contentType) {
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        return this;
    }

    FakeImageServer redirect(String path, String location) {
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(302, -1);
        });
        return this;
    }

    FakeImageServer status(String path, int status) {
        routes.put(path, exchange -> exchange.sendResponseHeaders(status, -1));
        return this;
    }

    /**
     * {@code head} and then zeros up to {@code total} bytes, chunked ({@code declareLength} false) or with a
     * Content-Length, {@code pauseMillis} between 64 KB writes (or between single bytes when {@code trickle}).
     */
    Stream stream(String path, byte[] head, long total, boolean declareLength, boolean trickle, long pauseMillis) {
        Stream stream = new Stream();
        routes.put(path, exchange -> {
            try {
                exchange.getResponseHeaders().set("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, declareLength ? total : 0);
                OutputStream out = exchange.getResponseBody();
                out.write(head);
                stream.written.addAndGet(head.length);
                byte[] block = new byte[trickle ? 1 : 65536];
                while (stream.written.get() < total) {
                    out.write(block);
                    out.flush();
                    stream.written.addAndGet(block.length);
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                }
            } catch (IOException | InterruptedException hungUp) {
                // the client went away: that is what the tests wait for
            } finally {
                stream.finished.countDown();
            }
        });
        return stream;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
