package io.pushcore.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import io.pushcore.crypto.MessageIds;
import io.pushcore.local.LocalRunner;
import io.pushcore.local.ScheduleTrigger;

/**
 * Row (o): does a stalled tenant slow a healthy one down? Two buckets on the same aggregator: a healthy one whose
 * webhook ({@link #healthy}) notes when the first event of a round arrives, and a stalled one whose webhook accepts
 * the TCP connection and never answers. Each round queues a full package (1000 events) for the healthy bucket, and
 * in the stalled rounds one for the stalled bucket first, then invokes the aggregator once and times that invocation
 * to the healthy bucket's first event at its webhook; the next round starts when the run ended.
 */
final class StallLatency implements AutoCloseable {

    private static final int PACKAGE = 1000;

    private final ServerSocket silent;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicLong firstArrival = new AtomicLong();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicLong duplicates = new AtomicLong();

    StallLatency() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** The healthy bucket's webhook (a context on the benchmark's webhook server). */
    void healthy(HttpExchange exchange) throws IOException {
        try (exchange) {
            long now = System.nanoTime();
            JsonNode messages = EventThroughput.JSON.readTree(exchange.getRequestBody().readAllBytes())
                    .path("messages");
            for (JsonNode message : messages) {
                if (!seen.add(message.path("messageId").asText())) {
                    duplicates.incrementAndGet();
                }
            }
            firstArrival.compareAndSet(0, now);
            exchange.sendResponseHeaders(200, -1);
        }
    }

    EventThroughput.Stall measure(HttpClient http, URI base, int webhookPort, LocalRunner runner, String queueUrl,
            ScheduleTrigger schedule, MessageIds messageIds, int rounds, Duration schedulePeriod) throws Exception {
        UUID healthyBucket = EventThroughput.bucket(http, base, "http://127.0.0.1:" + webhookPort + "/healthy");
        UUID healthyContext = EventThroughput.context(http, base, healthyBucket);
        UUID stalledBucket = EventThroughput.bucket(http, base, "http://127.0.0.1:" + silent.getLocalPort()
                + "/hook");
        UUID stalledContext = EventThroughput.context(http, base, stalledBucket);
        // a first run warms the aggregator's code paths for these buckets (routes read, packages built)
        round(runner, queueUrl, schedule, messageIds, healthyBucket, healthyContext, null, null);
        double[] alone = new double[rounds];
        double[] withStall = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            alone[i] = round(runner, queueUrl, schedule, messageIds, healthyBucket, healthyContext, null, null);
            withStall[i] = round(runner, queueUrl, schedule, messageIds, healthyBucket, healthyContext,
                    stalledBucket, stalledContext);
        }
        schedule.setEnabled(true);
        Arrays.sort(alone);
        Arrays.sort(withStall);
        return new EventThroughput.Stall(rounds, alone[rounds / 2], withStall[rounds / 2], withStall[rounds - 1],
                schedulePeriod.toMillis(), duplicates.get());
    }

    /** One invocation: milliseconds from it to the healthy bucket's first event at its webhook. */
    private double round(LocalRunner runner, String queueUrl, ScheduleTrigger schedule, MessageIds messageIds,
            UUID healthyBucket, UUID healthyContext, UUID stalledBucket, UUID stalledContext) throws Exception {
        EventThroughput.pause(schedule);
        if (stalledBucket != null) {
            EventThroughput.enqueue(runner, queueUrl, PACKAGE, stalledContext, stalledBucket, messageIds);
        }
        EventThroughput.enqueue(runner, queueUrl, PACKAGE, healthyContext, healthyBucket, messageIds);
        firstArrival.set(0);
        long start = System.nanoTime();
        schedule.invoke();
        long deadline = start + Duration.ofMinutes(1).toNanos();
        while (firstArrival.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long arrived = firstArrival.get();
        schedule.running().handle((body, failure) -> null).get(2, TimeUnit.MINUTES);
        return arrived == 0 ? Double.NaN : (arrived - start) / 1e6;
    }

    @Override
    public void close() throws IOException {
        silent.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
