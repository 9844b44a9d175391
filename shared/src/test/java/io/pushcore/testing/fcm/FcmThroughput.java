package io.pushcore.testing.fcm;

import java.io.ByteArrayInputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.Message;

import io.pushcore.model.DataContent;
import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.fcm.FcmCredentials;
import io.pushcore.provider.fcm.FcmPayload;
import io.pushcore.provider.fcm.FcmProvider;

/**
 * A rough throughput run (not a test, no assertions): raw firebase-admin {@code sendEach} against
 * {@link FcmProvider#sendEach}, both on the same {@link FakeFcmServer} over HTTP/1.1. Run with the test
 * classpath: {@code java ... FcmThroughput [n]}.
 */
public final class FcmThroughput {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        try (FakeFcmServer server = FakeFcmServer.start()) {
            server.recording(false);
            String json = server.serviceAccountJson("bench");
            URI base = server.baseUrl();
            FirebaseApp app = rawApp(server, json, "bench", "raw");
            FirebaseMessaging raw = FirebaseMessaging.getInstance(app);
            FcmProvider provider = new FcmProvider(FcmCredentials.parse(json, uri -> true),
                    FcmProvider.Options.DEFAULT.withBaseUrl(base));
            for (int round = 0; round < 3; round++) {
                report("raw firebase-admin sendEach (500s)", n, raw(raw, n));
                report("FcmProvider.sendEach", n, provider(provider, n));
            }
            provider.close();
            app.delete();
        }
    }

    /** A firebase-admin app named {@code name} whose every request goes to {@code server}. */
    public static FirebaseApp rawApp(FakeFcmServer server, String serviceAccountJson, String projectId, String name)
            throws Exception {
        URI base = server.baseUrl();
        return FirebaseApp.initializeApp(FirebaseOptions.builder()
                .setCredentials(ServiceAccountCredentials.fromStream(
                        new ByteArrayInputStream(serviceAccountJson.getBytes(StandardCharsets.UTF_8))))
                .setProjectId(projectId)
                .setHttpTransport(new NetHttpTransport.Builder().setConnectionFactory(url -> (HttpURLConnection) URI
                        .create(base + url.getFile()).toURL().openConnection()).build())
                .build(), name);
    }

    private static Push push(int i) {
        return new Push(UUID.randomUUID(), UUID.randomUUID(), "user" + i, new DataContent("Hello", "World", null,
                null, null, null, null, 1, null, null, null, "{\"x\":1}", null, null), Instant.now().plusSeconds(3600));
    }

    /** {@code sendEach} of {@code n} messages in chunks of 500; returns the nanoseconds taken. */
    public static long raw(FirebaseMessaging fcm, int n) throws Exception {
        long start = System.nanoTime();
        int ok = 0;
        for (int from = 0; from < n; from += 500) {
            List<Message> chunk = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 500); i++) {
                chunk.add(Message.builder().setToken("t" + i).putAllData(FcmPayload.of(push(i)))
                        .setAndroidConfig(AndroidConfig.builder().setPriority(AndroidConfig.Priority.HIGH)
                                .setTtl(3_600_000).build())
                        .build());
            }
            ok += fcm.sendEach(chunk).getSuccessCount();
        }
        if (ok != n) {
            throw new IllegalStateException(ok + " of " + n + " accepted");
        }
        return System.nanoTime() - start;
    }

    private static long provider(FcmProvider provider, int n) {
        long start = System.nanoTime();
        List<FcmProvider.Addressed> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(new FcmProvider.Addressed(push(i), new DeviceToken("t" + i)));
        }
        List<Delivery> results = provider.sendEach(all);
        long accepted = results.stream().filter(d -> d instanceof Delivery.Accepted).count();
        if (accepted != n) {
            throw new IllegalStateException(accepted + " of " + n + " accepted: " + results.stream()
                    .filter(d -> !(d instanceof Delivery.Accepted)).findFirst().orElseThrow());
        }
        return System.nanoTime() - start;
    }

    static void report(String name, int n, long nanos) {
        System.out.printf("%-40s %7d in %6.2f s = %8.0f /s%n", name, n, nanos / 1e9, n / (nanos / 1e9));
    }
}
