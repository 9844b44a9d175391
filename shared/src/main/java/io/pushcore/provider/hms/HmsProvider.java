package io.pushcore.provider.hms;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import io.pushcore.model.Address;
import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.model.WebPushSubscription;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.PushProvider;
import io.pushcore.provider.hms.HmsAccessTokens.Grant;
import io.pushcore.provider.hms.HmsResults.Answer;

/**
 * Sends to Huawei Push Kit with one {@code hms} credential: {@code POST <pushUrl>/<appId>/messages:send} with the
 * app's access token ({@link HmsAccessTokens}), one message per device ({@link HmsPayload}), through the JDK's
 * {@code HttpClient} with hard timeouts. {@link #sendEach(List)} sends its messages concurrently, at most
 * {@link Options#maxConcurrency()} at once per credential.
 *
 * <p>
 * Each message is one attempt, except that an access token Push Kit refuses (expired or revoked: 80200001,
 * 80200003, HTTP 401) is replaced and the message sent once more, as Huawei's own server demos do. Transient
 * failures come back {@link Delivery.Deferred} for the caller's retry policy.
 */
public final class HmsProvider implements PushProvider {

    /**
     * Per credential: messages in flight at once, the connect timeout, and the bound of each HTTP exchange (token
     * requests included); {@code clock} dates token expiry and message TTLs.
     */
    public record Options(int maxConcurrency, Duration connectTimeout, Duration requestTimeout, Clock clock) {

        public static final Options DEFAULT = new Options(100, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Clock.systemUTC());

        public Options {
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("maxConcurrency must be positive");
            }
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(clock, "clock");
        }

        public Options withMaxConcurrency(int messages) {
            return new Options(messages, connectTimeout, requestTimeout, clock);
        }

        public Options withTimeouts(Duration connect, Duration request) {
            return new Options(maxConcurrency, connect, request, clock);
        }

        public Options withClock(Clock c) {
            return new Options(maxConcurrency, connectTimeout, requestTimeout, c);
        }
    }

    /** One push for one device, an element of {@link #sendEach(List)}. */
    public record Addressed(Push push, DeviceToken token) {

        public Addressed {
            Objects.requireNonNull(push, "push");
            Objects.requireNonNull(token, "token");
        }
    }

    private final HmsCredentials credentials;
    private final Options options;
    private final HmsHttp http;
    private final HmsAccessTokens tokens;
    private final Semaphore inFlight;

    public HmsProvider(HmsCredentials credentials, Options options) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.options = Objects.requireNonNull(options, "options");
        this.http = new HmsHttp(options.connectTimeout(), options.requestTimeout());
        this.tokens = new HmsAccessTokens(credentials, http, options.clock());
        this.inFlight = new Semaphore(options.maxConcurrency());
    }

    @Override
    public Delivery send(Push push, Address address) {
        return switch (address) {
            case DeviceToken token -> sendEach(List.of(new Addressed(push, token))).getFirst();
            case WebPushSubscription s -> new Delivery.Rejected(ErrorCode.INVALID_TOKEN,
                    "an hms credential needs a Push Kit token, not a web push subscription");
        };
    }

    /**
     * Sends every push (one attempt each) and returns one delivery per input, in input order; never throws for
     * what Push Kit or the network did.
     */
    public List<Delivery> sendEach(List<Addressed> pushes) {
        if (pushes.size() == 1) {
            return List.of(withPermit(pushes.getFirst()));
        }
        List<Future<Delivery>> answers = new ArrayList<>(pushes.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Addressed a : pushes) {
                answers.add(executor.submit(() -> withPermit(a)));
            }
        }
        List<Delivery> deliveries = new ArrayList<>(pushes.size());
        for (Future<Delivery> answer : answers) {
            deliveries.add(answer.state() == Future.State.SUCCESS ? answer.resultNow()
                    : new Delivery.Deferred("Push Kit send interrupted", null));
        }
        return deliveries;
    }

    private Delivery withPermit(Addressed a) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Deferred("interrupted before sending to Push Kit", null);
        }
        try {
            return sendOne(a);
        } finally {
            inFlight.release();
        }
    }

    private Delivery sendOne(Addressed a) {
        int size = HmsPayload.size(a.push());
        if (size > HmsPayload.MAX_BYTES) {
            return new Delivery.Rejected(ErrorCode.PAYLOAD_TOO_LARGE, "the Push Kit message is " + size
                    + " bytes; Push Kit accepts at most " + HmsPayload.MAX_BYTES);
        }
        List<String> to = List.of(a.token().token());
        byte[] body = HmsPayload.body(a.push(), to, Duration.between(options.clock().instant(), a.push().expiresAt()));
        return attempt(body, to, true);
    }

    /** One message with the current access token; when Push Kit refuses the token and {@code again}, once more. */
    private Delivery attempt(byte[] body, List<String> to, boolean again) {
        return switch (tokens.current()) {
            case Grant.Refused refused -> HmsResults.credentialRejected(refused.reason());
            case Grant.Unavailable unavailable -> new Delivery.Deferred(unavailable.reason(),
                    unavailable.retryAfter());
            case Grant.Issued issued -> switch (post(issued.accessToken(), body, to)) {
                case Answer.PerToken perToken -> perToken.deliveries().getFirst();
                case Answer.AccessTokenRefused refused -> {
                    tokens.refused(issued.accessToken());
                    yield again ? attempt(body, to, false) : HmsResults.credentialRejected(refused.reason());
                }
            };
        };
    }

    private Answer post(String accessToken, byte[] body, List<String> to) {
        return switch (http.post(credentials.sendUrl(), "application/json; charset=UTF-8", "Bearer " + accessToken,
                body)) {
            case HmsHttp.Exchange.Failed failed -> new Answer.PerToken(List.of(
                    new Delivery.Deferred("Push Kit: " + failed.reason(), null)));
            case HmsHttp.Exchange.Answered answer -> HmsResults.read(answer.status(), answer.retryAfter(),
                    answer.body(), to);
        };
    }

    public HmsCredentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
        http.close();
    }
}
