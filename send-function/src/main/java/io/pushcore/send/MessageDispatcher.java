package io.pushcore.send;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pushcore.crypto.MessageIds;
import io.pushcore.model.Address;
import io.pushcore.model.Push;
import io.pushcore.model.WebPushSubscription;
import io.pushcore.net.ForbiddenDestinationException;
import io.pushcore.net.NetworkPolicy;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.PushProvider;
import io.pushcore.provider.webpush.VapidKeys;
import io.pushcore.provider.webpush.WebPushProvider;
import io.pushcore.provider.webpush.WebPushTransport;
import io.pushcore.send.config.SendConfig;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;

/**
 * Sends one context to a list of receivers: every receiver gets a message id that carries a MAC over the context
 * id, in request order, whether it fails or not. Receivers are checked one by one (a bad one fails alone), then
 * handed to their credential's provider concurrently on virtual threads, at most {@code send.dispatch.concurrency}
 * attempts in flight per function instance. Transient outcomes are retried with exponential backoff and jitter,
 * never sooner than the provider's Retry-After, until {@code send.dispatch.time-budget} (counted from the start of
 * the request) runs out; then the receiver gets {@code PROVIDER_UNAVAILABLE}.
 */
@ApplicationScoped
public class MessageDispatcher {

    private static final Logger LOG = Logger.getLogger(MessageDispatcher.class);

    private final MessageIds messageIds;
    private final NetworkPolicy networkPolicy;
    private final WebPushTransport webPushTransport;
    private final MeterRegistry metrics;
    private final Semaphore inFlight;
    private final Duration timeBudget;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Guard retry;
    private final BoundedCache<UUID, PushProvider> providers;

    MessageDispatcher(MessageIds messageIds, NetworkPolicy networkPolicy, WebPushTransport webPushTransport,
            MeterRegistry metrics, SendConfig config) {
        this.messageIds = messageIds;
        this.networkPolicy = networkPolicy;
        this.webPushTransport = webPushTransport;
        this.metrics = metrics;
        this.inFlight = new Semaphore(config.dispatch().concurrency());
        this.timeBudget = config.dispatch().timeBudget();
        this.initialBackoff = config.dispatch().initialBackoff();
        this.maxBackoff = config.dispatch().maxBackoff();
        this.providers = new BoundedCache<>(config.cache().maxBuckets() * 4, PushProvider::close);
        this.retry = Guard.create()
                .withDescription("provider retry")
                .withRetry()
                // The deadline check in attempt() ends the retries; these two are only backstops.
                .maxRetries(1000)
                .maxDuration(timeBudget.toMillis() + 1000, ChronoUnit.MILLIS)
                .delay(initialBackoff.toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .retryOn(DeferredException.class)
                .withCustomBackoff().strategy(() -> new HintedBackoff(initialBackoff, maxBackoff)).done()
                .done()
                .build();
    }

    /** Sends and returns one result per receiver, in the receivers' order. */
    public List<ReceiverResult> dispatch(Bucket bucket, PushContext context, List<ReceiverInput> receivers) {
        long deadline = System.nanoTime() + timeBudget.toNanos();
        ReceiverResult[] results = new ReceiverResult[receivers.size()];
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < receivers.size(); i++) {
                int index = i;
                ReceiverInput input = receivers.get(i);
                UUID messageId = messageIds.mint(context.id());
                Target target;
                try {
                    target = resolve(bucket, input);
                } catch (ReceiverError e) {
                    count("none", "invalid");
                    results[i] = new ReceiverResult(messageId, List.of(e.getMessage()));
                    continue;
                }
                Push push = new Push(context.id(), messageId, input.foreignId(), context.content(),
                        context.expiresAt());
                executor.submit(() -> results[index] = new ReceiverResult(messageId,
                        deliver(target, push, deadline)));
            }
        }
        return Arrays.asList(results);
    }

    private record Target(String providerName, PushProvider provider, Address address) {
    }

    private Target resolve(Bucket bucket, ReceiverInput input) {
        String path = input.path() + ".";
        if (input.credentialId() == null || input.credentialId().isBlank()) {
            throw new ReceiverError(ErrorCode.UNKNOWN_CREDENTIAL, path + "credentialId: is required");
        }
        Credential credential = bucket.credential(input.credentialId().trim())
                .orElseThrow(() -> new ReceiverError(ErrorCode.UNKNOWN_CREDENTIAL,
                        path + "credentialId: is not a credential of bucket " + bucket.id()));
        if (input.foreignId() != null && input.foreignId().length() > Contexts.MAX_FOREIGN_ID_LENGTH) {
            throw new ReceiverError(ErrorCode.PAYLOAD_TOO_LARGE,
                    path + "foreignId: is longer than " + Contexts.MAX_FOREIGN_ID_LENGTH + " characters");
        }
        return switch (credential) {
            case Credential.Vapid vapid -> {
                WebPushSubscription subscription;
                try {
                    subscription = WebPushSubscription.parse(input.endpoint(), input.p256dh(), input.auth());
                } catch (IllegalArgumentException e) {
                    throw new ReceiverError(ErrorCode.INVALID_SUBSCRIPTION, path + e.getMessage());
                }
                try {
                    networkPolicy.check(subscription.endpoint());
                } catch (ForbiddenDestinationException e) {
                    throw new ReceiverError(ErrorCode.FORBIDDEN_ENDPOINT, path + "endpoint: " + e.getMessage());
                }
                yield new Target("webpush", providerFor(vapid), subscription);
            }
        };
    }

    /** One provider per credential while warm, so its VAPID JWT cache and pooled connections are reused. */
    private PushProvider providerFor(Credential.Vapid vapid) {
        return providers.computeIfAbsent(vapid.id(), id -> new WebPushProvider(
                VapidKeys.parse(vapid.publicKey(), vapid.privateKey()), vapid.subject(), webPushTransport));
    }

    private List<String> deliver(Target target, Push push, long deadline) {
        Delivery outcome;
        try {
            outcome = retry.call(() -> attempt(target, push, deadline), Delivery.class);
        } catch (DeferredException e) {
            outcome = new Delivery.Deferred(e.deferred.reason(), e.deferred.retryAfter());
        } catch (BudgetExhausted e) {
            outcome = new Delivery.Deferred(e.getMessage(), null);
        } catch (Exception e) {
            LOG.errorf(e, "unexpected failure sending message %s", push.messageId());
            outcome = new Delivery.Deferred("internal error", null);
        }
        return settled(target, push, outcome);
    }

    private Delivery attempt(Target target, Push push, long deadline) throws InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || !inFlight.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
            throw new BudgetExhausted("time budget of " + timeBudget.toMillis() + " ms ran out before sending");
        }
        Delivery delivery;
        long start = System.nanoTime();
        try {
            delivery = target.provider().send(push, target.address());
        } finally {
            inFlight.release();
            Timer.builder("pushcore.provider.latency").tag("provider", target.providerName()).register(metrics)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        if (delivery instanceof Delivery.Deferred deferred) {
            long left = deadline - System.nanoTime();
            long hint = deferred.retryAfter() == null ? 0 : deferred.retryAfter().toNanos();
            if (left <= 0 || hint >= left) {
                // Waiting for the provider's hint would outlast the budget: give up now instead of at the deadline.
                throw new BudgetExhausted(deferred.reason() + "; gave up within the " + timeBudget.toMillis()
                        + " ms time budget");
            }
            throw new DeferredException(deferred, deadline);
        }
        return delivery;
    }

    /** The final outcome of one receiver. Emitting sent/unregistered/failed events to SQS belongs here (next issue). */
    private List<String> settled(Target target, Push push, Delivery outcome) {
        return switch (outcome) {
            case Delivery.Accepted accepted -> {
                count(target.providerName(), "accepted");
                yield List.of();
            }
            case Delivery.Rejected rejected -> {
                count(target.providerName(), rejected.code() == ErrorCode.UNREGISTERED ? "unregistered" : "rejected");
                yield List.of(rejected.code().describe(rejected.reason()));
            }
            case Delivery.Deferred deferred -> {
                count(target.providerName(), "unavailable");
                yield List.of(ErrorCode.PROVIDER_UNAVAILABLE.describe(deferred.reason()));
            }
        };
    }

    private void count(String provider, String outcome) {
        metrics.counter("pushcore.pushes", "provider", provider, "outcome", outcome).increment();
    }

    /** A receiver that cannot be sent to; its message is the wire error string. */
    private static final class ReceiverError extends RuntimeException {
        ReceiverError(ErrorCode code, String reason) {
            super(code.describe(reason), null, false, false);
        }
    }

    /** A transient outcome worth retrying; carries the provider's hint for {@link HintedBackoff}. */
    static final class DeferredException extends RuntimeException {
        final Delivery.Deferred deferred;
        final long deadline;

        DeferredException(Delivery.Deferred deferred, long deadline) {
            super(deferred.reason(), null, false, false);
            this.deferred = deferred;
            this.deadline = deadline;
        }
    }

    /** The time budget ran out; never retried. */
    static final class BudgetExhausted extends RuntimeException {
        BudgetExhausted(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Exponential backoff with "equal jitter" (half fixed, half random), raised to the provider's Retry-After and
     * cut to what is left of the budget. SmallRye creates one per guarded call, so the attempt count is per receiver.
     */
    static final class HintedBackoff implements CustomBackoffStrategy {
        private final long initialMillis;
        private final long maxMillis;
        private int retries;

        HintedBackoff(Duration initial, Duration max) {
            this.initialMillis = Math.max(1, initial.toMillis());
            this.maxMillis = Math.max(initialMillis, max.toMillis());
        }

        @Override
        public long nextDelayInMillis(Throwable cause) {
            long exponential = Math.min(maxMillis, initialMillis << Math.min(retries++, 20));
            long delay = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
            if (cause instanceof DeferredException deferred) {
                if (deferred.deferred.retryAfter() != null) {
                    delay = Math.max(delay, deferred.deferred.retryAfter().toMillis());
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deferred.deadline - System.nanoTime());
                delay = Math.max(0, Math.min(delay, left));
            }
            return delay;
        }
    }
}
