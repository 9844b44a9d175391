package io.pushcore.bench;

import com.eatthepath.pushy.apns.ApnsClient;
import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.FirebaseMessaging;

import io.netty.channel.EventLoopGroup;
import io.pushcore.provider.apns.ApnsProvider;
import io.pushcore.testing.apns.ApnsThroughput;
import io.pushcore.testing.apns.FakeApnsServer;
import io.pushcore.testing.fcm.FakeFcmServer;
import io.pushcore.testing.fcm.FcmThroughput;

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
