package io.pushcore.provider.fcm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.ThreadManager;
import com.google.firebase.internal.ApiClientUtils;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.BatchResponse;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.SendResponse;

import io.pushcore.model.Address;
import io.pushcore.model.DeviceToken;
import io.pushcore.model.DataContent;
import io.pushcore.model.Push;
import io.pushcore.model.RawContent;
import io.pushcore.model.SilentContent;
import io.pushcore.model.WebPushSubscription;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.PushProvider;

/**
 * Sends to FCM HTTP v1 with one service account through its own {@link FirebaseApp} (firebase-admin's HTTP/2
 * transport by default), with a bounded pool of sending threads. {@link #sendEach(List)} hands up to
 * {@value #MAX_BATCH} messages at a time to {@code sendEach}, which FCM still receives as one request each.
 *
 * <p>
 * Data and silent messages are data-only (the CORE Android SDK renders them itself): {@code _ppg} with priority high
 * for data pushes, {@code _silent} with priority normal for silent ones (raw pushes as {@link FcmPayload} maps
 * them), Android TTL until {@link Push#expiresAt()}. Each message is one attempt: the SDK's own 503 retries are
 * switched off, so transient failures come back {@link Delivery.Deferred} for the caller's retry policy.
 */
public final class FcmProvider implements PushProvider {

    /** The most messages firebase-admin takes in one {@code sendEach} call. */
    public static final int MAX_BATCH = 500;

    private static final AtomicLong APP_COUNTER = new AtomicLong();

    private final FcmCredentials credentials;
    private final Options options;
    private final FirebaseApp app;
    private final FirebaseMessaging messaging;

    /**
     * How to reach FCM. {@code baseUrl} null means the real {@code https://fcm.googleapis.com} over HTTP/2;
     * otherwise every FCM request goes to that scheme, host and port instead (HTTP/1.1), for tests and local
     * runs. {@code maxConcurrency} bounds the threads that wait on FCM answers (firebase-admin's default is 100).
     */
    public record Options(URI baseUrl, int maxConcurrency, Duration connectTimeout, Duration readTimeout,
            Clock clock) {

        public static final Options DEFAULT = new Options(null, 100, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Clock.systemUTC());

        public Options {
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("maxConcurrency must be positive");
            }
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            Objects.requireNonNull(clock, "clock");
        }

        public Options withBaseUrl(URI url) {
            return new Options(url, maxConcurrency, connectTimeout, readTimeout, clock);
        }

        public Options withMaxConcurrency(int threads) {
            return new Options(baseUrl, threads, connectTimeout, readTimeout, clock);
        }

        public Options withTimeouts(Duration connect, Duration read) {
            return new Options(baseUrl, maxConcurrency, connect, read, clock);
        }

        public Options withClock(Clock c) {
            return new Options(baseUrl, maxConcurrency, connectTimeout, readTimeout, c);
        }
    }

    /** One push for one device, an element of {@link #sendEach(List)}. */
    public record Addressed(Push push, DeviceToken token) {

        public Addressed {
            Objects.requireNonNull(push, "push");
            Objects.requireNonNull(token, "token");
        }
    }

    public FcmProvider(FcmCredentials credentials) {
        this(credentials, Options.DEFAULT);
    }

    /** Sets up the FirebaseApp; the first access token is fetched on the first send. */
    public FcmProvider(FcmCredentials credentials, Options options) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.options = Objects.requireNonNull(options, "options");
        ServiceAccountCredentials account;
        try {
            account = ServiceAccountCredentials.fromStream(
                    new ByteArrayInputStream(credentials.json().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalArgumentException("payload: the service account cannot be loaded");
        }
        FirebaseOptions firebaseOptions = FirebaseOptions.builder()
                .setCredentials(account)
                .setProjectId(credentials.projectId())
                .setHttpTransport(new SingleAttemptTransport(transport(options.baseUrl())))
                .setThreadManager(new BoundedThreads(options.maxConcurrency()))
                .setConnectTimeout((int) options.connectTimeout().toMillis())
                .setReadTimeout((int) options.readTimeout().toMillis())
                .build();
        this.app = FirebaseApp.initializeApp(firebaseOptions,
                "pushcore-fcm-" + credentials.projectId() + "-" + APP_COUNTER.incrementAndGet());
        this.messaging = FirebaseMessaging.getInstance(app);
    }

    private static HttpTransport transport(URI baseUrl) {
        if (baseUrl == null) {
            return ApiClientUtils.getDefaultTransport();
        }
        return new NetHttpTransport.Builder()
                .setConnectionFactory(url -> (HttpURLConnection) URI.create(baseUrl.getScheme() + "://"
                        + baseUrl.getRawAuthority() + url.getFile()).toURL().openConnection())
                .build();
    }

    @Override
    public Delivery send(Push push, Address address) {
        return switch (address) {
            case DeviceToken token -> sendEach(List.of(new Addressed(push, token))).getFirst();
            case WebPushSubscription s -> new Delivery.Rejected(ErrorCode.INVALID_TOKEN,
                    "an FCM credential needs a registration token, not a web push subscription");
        };
    }

    /**
     * Sends every push (one attempt each) and returns one delivery per input, in input order; never throws for
     * what FCM or the network did. Calls {@code sendEach} in chunks of at most {@value #MAX_BATCH}, one after the
     * other; within a chunk the messages go out concurrently, bounded by {@link Options#maxConcurrency()}.
     */
    public List<Delivery> sendEach(List<Addressed> pushes) {
        Delivery[] results = new Delivery[pushes.size()];
        List<Integer> positions = new ArrayList<>(MAX_BATCH);
        List<Message> chunk = new ArrayList<>(MAX_BATCH);
        for (int i = 0; i < pushes.size(); i++) {
            Addressed a = pushes.get(i);
            Map<String, String> data = FcmPayload.of(a.push());
            int size = FcmPayload.size(data, a.push().content());
            if (size > FcmPayload.MAX_BYTES) {
                results[i] = new Delivery.Rejected(ErrorCode.PAYLOAD_TOO_LARGE,
                        "the FCM data is " + size + " bytes; FCM accepts at most " + FcmPayload.MAX_BYTES);
                continue;
            }
            positions.add(i);
            chunk.add(message(a.push(), a.token(), data));
            if (chunk.size() == MAX_BATCH) {
                sendChunk(chunk, positions, results);
            }
        }
        if (!chunk.isEmpty()) {
            sendChunk(chunk, positions, results);
        }
        return Arrays.asList(results);
    }

    private void sendChunk(List<Message> chunk, List<Integer> positions, Delivery[] results) {
        try {
            BatchResponse batch = messaging.sendEach(List.copyOf(chunk));
            List<SendResponse> responses = batch.getResponses();
            for (int j = 0; j < responses.size(); j++) {
                SendResponse r = responses.get(j);
                results[positions.get(j)] = r.isSuccessful() ? new Delivery.Accepted(r.getMessageId())
                        : FcmErrors.toDelivery(r.getException());
            }
        } catch (FirebaseMessagingException e) {
            Delivery d = FcmErrors.toDelivery(e);
            positions.forEach(p -> results[p] = d);
        } catch (RuntimeException e) {
            Delivery d = new Delivery.Deferred("FCM send failed (" + e.getClass().getSimpleName() + ")", null);
            positions.forEach(p -> results[p] = d);
        }
        chunk.clear();
        positions.clear();
    }

    private Message message(Push push, DeviceToken token, Map<String, String> data) {
        long ttlMillis = Math.max(0, Duration.between(options.clock().instant(), push.expiresAt()).toMillis());
        // FCM takes TTL in whole seconds; round down so a message never outlives its context.
        ttlMillis -= ttlMillis % 1000;
        AndroidConfig android = switch (push.content()) {
            case RawContent raw -> FcmPayload.rawAndroidConfig(raw, ttlMillis);
            case SilentContent silent -> AndroidConfig.builder().setPriority(AndroidConfig.Priority.NORMAL)
                    .setTtl(ttlMillis).build();
            case DataContent visible -> AndroidConfig.builder().setPriority(AndroidConfig.Priority.HIGH)
                    .setTtl(ttlMillis).build();
        };
        return Message.builder().setToken(token.token()).putAllData(data).setAndroidConfig(android).build();
    }

    public FcmCredentials credentials() {
        return credentials;
    }

    /** Deletes the FirebaseApp and stops its threads. */
    @Override
    public void close() {
        try {
            app.delete();
        } catch (IllegalStateException alreadyDeleted) {
            // close() twice is harmless
        }
    }

    private static final class BoundedThreads extends ThreadManager {

        private final int threads;

        BoundedThreads(int threads) {
            this.threads = threads;
        }

        @Override
        protected ExecutorService getExecutor(FirebaseApp app) {
            ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), getThreadFactory());
            executor.allowCoreThreadTimeOut(true);
            return executor;
        }

        @Override
        protected void releaseExecutor(FirebaseApp app, ExecutorService executor) {
            executor.shutdownNow();
        }

        @Override
        protected ThreadFactory getThreadFactory() {
            return Thread.ofPlatform().name("pushcore-fcm-", 0).daemon().factory();
        }
    }
}
