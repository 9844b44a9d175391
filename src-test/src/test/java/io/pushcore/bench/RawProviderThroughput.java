package io.pushcore.bench;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import com.eatthepath.pushy.apns.ApnsClient;
import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.FirebaseMessaging;

import io.netty.channel.EventLoopGroup;
import io.pushcore.model.DataContent;
import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.apns.ApnsProvider;
import io.pushcore.provider.hms.HmsCredentials;
import io.pushcore.provider.hms.HmsProvider;
import io.pushcore.testing.apns.ApnsThroughput;
import io.pushcore.testing.apns.FakeApnsServer;
import io.pushcore.testing.fcm.FakeFcmServer;
import io.pushcore.testing.fcm.FcmThroughput;
import io.pushcore.testing.hms.FakeHmsServer;

/**
 * The provider libraries alone, in this JVM, against the same kind of local server the API run used: the baseline
 * the API rows are compared with. Each runs once to warm up, then once measured.
 */
final class RawProviderThroughput {

    private RawProviderThroughput() {
    }

    /** Pushy alone: an {@link ApnsClient} loop with at most 1000 notifications in flight. */
    static double apnsPerSecond(FakeApnsServer server, int n) throws Exception {
        EventLoopGroup loop = ApnsProvider.newEventLoopGroup(2);
        ApnsClient client = ApnsThroughput.rawClient(server, loop);
        try {
            ApnsThroughput.rawPushy(client, n);
            return n / (ApnsThroughput.rawPushy(client, n) / 1e9);
        } finally {
            client.close().get();
            loop.shutdownGracefully().syncUninterruptibly();
        }
    }

    /**
     * pushcore's Push Kit provider alone (there is no Huawei Java library to compare with): {@code sendEach} of
     * 1000 messages at a time, one request each over the JDK's {@code HttpClient}, up to 100 in flight.
     */
    static double hmsPerSecond(FakeHmsServer server, int n) {
        Instant expires = Instant.now().plusSeconds(3600);
        DataContent content = new DataContent("Hello from pushcore", "benchmark", null, null, null, null, null, null,
                null, null, null, null, null, null);
        List<HmsProvider.Addressed> batch = IntStream.range(0, 1000).mapToObj(i -> new HmsProvider.Addressed(
                new Push(UUID.randomUUID(), UUID.randomUUID(), "user-" + i, content, expires),
                new DeviceToken("hms-raw-" + i))).toList();
        try (HmsProvider provider = new HmsProvider(HmsCredentials.parse(server.credential("109000002"),
                url -> true), HmsProvider.Options.DEFAULT)) {
            sendAll(provider, batch, n);
            long start = System.nanoTime();
            sendAll(provider, batch, n);
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void sendAll(HmsProvider provider, List<HmsProvider.Addressed> batch, int n) {
        for (int sent = 0; sent < n; sent += batch.size()) {
            List<Delivery> results = provider.sendEach(batch.subList(0, Math.min(batch.size(), n - sent)));
            if (!results.stream().allMatch(Delivery.Accepted.class::isInstance)) {
                throw new IllegalStateException("Push Kit refused: " + results.stream()
                        .filter(d -> !(d instanceof Delivery.Accepted)).findFirst().orElseThrow());
            }
        }
    }

    /** Firebase-admin alone: {@code sendEach} in chunks of 500. */
    static double fcmPerSecond(FakeFcmServer server, int n) throws Exception {
        FirebaseApp app = FcmThroughput.rawApp(server, server.serviceAccountJson("bench-raw"), "bench-raw",
                "bench-raw");
        try {
            FirebaseMessaging fcm = FirebaseMessaging.getInstance(app);
            FcmThroughput.raw(fcm, n);
            return n / (FcmThroughput.raw(fcm, n) / 1e9);
        } finally {
            app.delete();
        }
    }
}
