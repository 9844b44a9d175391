package io.pushcore.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.pushcore.net.NetworkPolicy;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The transport's bounds against real loopback HTTP servers (a Vert.x instance of their own, so the client's
 * threads are the only ones the assertions count): many origins, a service that stalls after its headers, and one
 * that streams far more than a push service ever says.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebPushTransportTest {

    private static final byte[] BODY = new byte[3000];
    private static Vertx servers;
    private static Vertx client;

    private final List<HttpServer> started = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void startVertx() {
        servers = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterAll
    static void stopVertx() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        servers.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopServers() throws Exception {
        for (HttpServer server : started) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void fiveHundredOriginsAtOnceStayWithinTheConnectionBoundAndAddNoThreads() throws Exception {
        int origins = 500;
        int maxConnections = 32;
        List<URI> endpoints = new ArrayList<>();
        for (int i = 0; i < origins; i++) {
            endpoints.add(URI.create("http://127.0.0.1:" + listen(request -> request.body()
                    .onSuccess(b -> request.response().setStatusCode(201).end())) + "/push/" + i));
        }
        WebPushTransport.Limits limits = new WebPushTransport.Limits(Duration.ofSeconds(5), Duration.ofSeconds(10),
                4, maxConnections, Duration.ofSeconds(30), 4096);
        // Warm-up: the client's event loops and the JVM's carrier threads exist before the baseline is taken.
        try (WebPushTransport warm = new WebPushTransport(client, new NetworkPolicy(true), limits)) {
            assertThat(warm.post(endpoints.getFirst(), Map.of(), BODY).status()).isEqualTo(201);
        }
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        try (WebPushTransport transport = new WebPushTransport(client, new NetworkPolicy(true), limits);
                ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (URI endpoint : endpoints) {
                statuses.add(senders.submit(() -> transport.post(endpoint, Map.of("TTL", "60"), BODY).status()));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(201);
            }
            int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();

            assertThat(requests).hasValue(origins + 1);
            // Each new connection beyond the bound closes an idle one; the servers see those closes a moment later
            // (their event loop is busy), so their count is checked once it has settled, not at its peak.
            assertThat(transport.openConnections()).isLessThanOrEqualTo(maxConnections);
            awaitTrue(() -> open.get() <= maxConnections);
            assertThat(threadsAfter - threadsBefore).as("platform threads added").isLessThanOrEqualTo(4);
        }
    }

    @Test
    void aServiceThatStallsAfterItsHeadersCostsOneAttemptEndingAtTheDeadline() throws Exception {
        AtomicInteger closedByClient = new AtomicInteger();
        int port = listen(request -> {
            request.connection().closeHandler(v -> closedByClient.incrementAndGet());
            request.response().setChunked(true).setStatusCode(201).write("{");
        });
        try (WebPushTransport transport = new WebPushTransport(client, new NetworkPolicy(true),
                WebPushTransport.Limits.DEFAULT.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)))) {

            // The class's @Timeout fails the test if the call does not come back; the stall itself never ends.
            assertThatThrownBy(() -> transport.post(URI.create("http://127.0.0.1:" + port + "/push/x"), Map.of(),
                    BODY)).isInstanceOf(TimeoutException.class);

            assertThat(requests).hasValue(1);
            awaitTrue(() -> closedByClient.get() == 1 && transport.openConnections() == 0);
        }
    }

    @Test
    void aTenMegabyteBodyFailsTheAttemptAfterTheLimitAndClosesTheConnection() throws Exception {
        AtomicInteger closedByClient = new AtomicInteger();
        Buffer megabyte = Buffer.buffer(new byte[1 << 20]);
        int port = listen(request -> {
            request.connection().closeHandler(v -> closedByClient.incrementAndGet());
            request.response().setStatusCode(201).putHeader("Content-Length", Integer.toString(10 << 20));
            for (int i = 0; i < 10; i++) {
                request.response().write(megabyte);
            }
            request.response().end();
        });
        try (WebPushTransport transport = new WebPushTransport(client, new NetworkPolicy(true),
                WebPushTransport.Limits.DEFAULT)) {

            assertThatThrownBy(() -> transport.post(URI.create("http://127.0.0.1:" + port + "/push/x"), Map.of(),
                    BODY)).isInstanceOf(WebPushTransport.ResponseTooLarge.class)
                    .hasMessage("push service answered more than 4096 bytes");

            assertThat(requests).hasValue(1);
            awaitTrue(() -> closedByClient.get() == 1);
        }
    }

    @Test
    void aBodyWithinTheLimitArrivesWhole() throws Exception {
        int port = listen(request -> request.response().setStatusCode(429).putHeader("Retry-After", "3")
                .end("x".repeat(4096)));
        try (WebPushTransport transport = new WebPushTransport(client, new NetworkPolicy(true),
                WebPushTransport.Limits.DEFAULT)) {

            WebPushTransport.Response response = transport.post(URI.create("http://127.0.0.1:" + port + "/p?q=1"),
                    Map.of(), BODY);

            assertThat(response).isEqualTo(new WebPushTransport.Response(429, null, "3", "x".repeat(4096)));
        }
    }

    private int listen(Handler<HttpServerRequest> handler) throws Exception {
        HttpServer server = servers.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .connectionHandler(connection -> {
                    open.incrementAndGet();
                    connection.closeHandler(v -> open.decrementAndGet());
                })
                .requestHandler(request -> {
                    requests.incrementAndGet();
                    handler.handle(request);
                });
        started.add(server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        return server.actualPort();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(until);
            Thread.sleep(10);
        }
    }
}
