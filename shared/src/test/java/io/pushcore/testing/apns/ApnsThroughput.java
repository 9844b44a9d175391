package io.pushcore.testing.apns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;

import io.netty.channel.EventLoopGroup;
import io.pushcore.model.DataContent;
import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.apns.ApnsPayload;
import io.pushcore.provider.apns.ApnsProvider;

/**
 * A rough throughput run (not a test, no assertions): raw pushy against {@link ApnsProvider}, both on the same
 * accept-all {@link FakeApnsServer}. Run with the test classpath: {@code java ... ApnsThroughput [n]}.
 */
public final class ApnsThroughput {

    private static final String TOPIC = "com.example.app";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (FakeApnsServer server = FakeApnsServer.startAcceptingAll()) {
            EventLoopGroup loop = ApnsProvider.newEventLoopGroup(2);
            ApnsClient raw = rawClient(server, loop);
            ApnsProvider provider = new ApnsProvider(server.tokenCredentials(TOPIC, null),
                    server.options().withEventLoopGroup(loop));
            for (int round = 0; round < 3; round++) {
                report("raw pushy (async, 1000 in flight)", n, rawPushy(raw, n));
                report("ApnsProvider.sendAsync", n, providerAsync(provider, n));
                report("ApnsProvider.send on virtual threads", n, providerVirtualThreads(provider, n));
            }
            provider.close();
            raw.close().get();
            loop.shutdownGracefully().syncUninterruptibly();
        }
    }

    /** A plain pushy client for {@code server}: token auth with its key, 4 connections, on {@code loop}. */
    public static ApnsClient rawClient(FakeApnsServer server, EventLoopGroup loop) throws Exception {
        return new ApnsClientBuilder().setApnsServer("localhost", server.port())
                .setSigningKey(new ApnsSigningKey(FakeApnsServer.KEY_ID, FakeApnsServer.TEAM_ID, server.signingKey()))
                .setTrustedServerCertificateChain(server.certificateAuthority()).setConcurrentConnections(4)
                .setEventLoopGroup(loop).build();
    }

    private static Push push() {
        return new Push(UUID.randomUUID(), UUID.randomUUID(), "user", new DataContent("Hello", "World", null, null,
                null, null, null, 1, "news", null, null, "{\"x\":1}", null, null), Instant.now().plusSeconds(3600));
    }

    private static String token(int i) {
        return String.format("%064x", i);
    }

    /** Sends {@code n} alerts to topic {@value #TOPIC} with at most 1000 in flight; returns the nanoseconds taken. */
    public static long rawPushy(ApnsClient client, int n) throws Exception {
        Semaphore permits = new Semaphore(1000);
        List<CompletableFuture<?>> all = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Push p = push();
            permits.acquire();
            all.add(client.sendNotification(new SimpleApnsPushNotification(token(i), TOPIC, ApnsPayload.of(p),
                    p.expiresAt(), DeliveryPriority.IMMEDIATE, PushType.ALERT, null, p.messageId()))
                    .whenComplete((r, e) -> permits.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return System.nanoTime() - start;
    }

    private static long providerAsync(ApnsProvider provider, int n) {
        List<CompletableFuture<Delivery>> all = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            all.add(provider.sendAsync(push(), new DeviceToken(token(i)), ApnsPayload.Target.IOS));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        check(all.stream().map(CompletableFuture::join).toList());
        return System.nanoTime() - start;
    }

    private static long providerVirtualThreads(ApnsProvider provider, int n) throws Exception {
        List<Delivery> results = new ArrayList<>(n);
        long start = System.nanoTime();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Delivery>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int t = i;
                futures.add(executor.submit(() -> provider.send(push(), new DeviceToken(token(t)))));
            }
            for (var f : futures) {
                results.add(f.get());
            }
        }
        check(results);
        return System.nanoTime() - start;
    }

    private static void check(List<Delivery> results) {
        long accepted = results.stream().filter(d -> d instanceof Delivery.Accepted).count();
        if (accepted != results.size()) {
            throw new IllegalStateException(accepted + " of " + results.size() + " accepted: "
                    + results.stream().filter(d -> !(d instanceof Delivery.Accepted)).findFirst().orElseThrow());
        }
    }

    static void report(String name, int n, long nanos) {
        System.out.printf("%-40s %7d in %6.2f s = %8.0f /s%n", name, n, nanos / 1e9, n / (nanos / 1e9));
    }
}
