package io.pushcore.send.dispatch;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.send.config.SendConfig;

/**
 * Retrying within a request's time budget, shared by all senders: transient outcomes are retried with exponential
 * backoff and jitter, never sooner than the provider's Retry-After, until the deadline (counted from the start of
 * the request); a hint that would outlast the budget ends the retries at once. Also bounds the single sends in
 * flight per function instance ({@code send.dispatch.concurrency}).
 *
 * <p>
 * Outcomes are values here: an attempt returns a {@link Delivery}, a round returns the {@link Delivery.Deferred}
 * standing for what it left to retry, and running out of budget is a {@code Deferred} (or, where nothing may be
 * retried, a {@code Rejected} with {@code PROVIDER_UNAVAILABLE}). The retry is a plain loop rather than a SmallRye
 * {@code Guard}: SmallRye's retry can judge a result ({@code whenResult}), but its backoff strategy only ever sees
 * the thrown cause, and this backoff needs each call's Retry-After and deadline; passing those through SmallRye
 * meant wrapping every transient outcome in an exception. Exceptions thrown by an attempt are failures (bugs) and
 * pass through untouched.
 */
@ApplicationScoped
public class Attempts {

    private final MeterRegistry metrics;
    private final Semaphore inFlight;
    private final Duration timeBudget;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    Attempts(MeterRegistry metrics, SendConfig config) {
        this.metrics = metrics;
        this.inFlight = new Semaphore(config.dispatch().concurrency());
        this.timeBudget = config.dispatch().timeBudget();
        this.initialBackoff = config.dispatch().initialBackoff();
        this.maxBackoff = config.dispatch().maxBackoff();
    }

    /** The deadline of a request that arrived at {@code startedNanos}, both in {@link System#nanoTime()} terms. */
    public long deadline(long startedNanos) {
        return startedNanos + timeBudget.toNanos();
    }

    /** Sends once and again while the outcome is {@link Delivery.Deferred}; returns the final outcome. */
    public Delivery untilSettled(Supplier<Delivery> attempt, long deadline) {
        Delivery[] last = new Delivery[1];
        Delivery.Deferred gaveUp = repeat(() -> {
            Delivery outcome = attempt.get();
            last[0] = outcome;
            return outcome instanceof Delivery.Deferred d ? d : null;
        }, deadline);
        return gaveUp != null ? gaveUp : last[0];
    }

    /**
     * Runs {@code round} until it returns null (nothing left to retry) and returns null, or until the budget runs
     * out and returns why. A round returns a {@link Delivery.Deferred} whose reason and Retry-After stand for what
     * it left to retry. Rounds run on the calling thread; an interrupt while waiting for the next round ends the
     * retries (the interrupt stays set).
     */
    public Delivery.Deferred repeat(Supplier<Delivery.Deferred> round, long deadline) {
        HintedBackoff backoff = new HintedBackoff(initialBackoff, maxBackoff);
        while (true) {
            Delivery.Deferred deferred = round.get();
            if (deferred == null) {
                return null;
            }
            long left = deadline - System.nanoTime();
            long hint = deferred.retryAfter() == null ? 0 : deferred.retryAfter().toNanos();
            if (left <= 0 || hint >= left) {
                // Waiting for the provider's hint would outlast the budget: give up now, not at the deadline.
                return new Delivery.Deferred(deferred.reason() + "; gave up within the " + timeBudget.toMillis()
                        + " ms time budget", null);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(backoff.nextDelayMillis(deferred.retryAfter(), left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery.Deferred(deferred.reason() + "; interrupted before retrying", null);
            }
        }
    }

    /**
     * Runs one single send holding one of the instance's in-flight permits, waiting for it until the deadline. When
     * no permit came in time the outcome is final ({@code PROVIDER_UNAVAILABLE}, never retried).
     */
    public Delivery withPermit(Supplier<Delivery> send, long deadline) {
        long remaining = deadline - System.nanoTime();
        try {
            if (remaining <= 0 || !inFlight.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
                return new Delivery.Rejected(ErrorCode.PROVIDER_UNAVAILABLE, "time budget of "
                        + timeBudget.toMillis() + " ms ran out before sending");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Rejected(ErrorCode.PROVIDER_UNAVAILABLE, "interrupted before sending");
        }
        try {
            return send.get();
        } finally {
            inFlight.release();
        }
    }

    /** One round of a batch, see {@link #inRounds}. */
    @FunctionalInterface
    public interface Round {
        /** Sends the sends {@code pending[0..count)} (ascending indexes) and writes each one's outcome. */
        void send(int[] pending, int count, Delivery[] outcomes);
    }

    /**
     * A batch of {@code size} sends retried by rounds (APNs chunks, FCM and Push Kit {@code sendEach}): each round
     * resends only the ones the last round left deferred, with {@link #repeat}'s backoff, until nothing is left or
     * the budget runs out; the sends still pending then keep their last transient outcome, marked as given up.
     * Permanent outcomes are never resent. One outcome per send, in order; {@code what} names the sends in the
     * reason ("APNs notifications").
     */
    public Delivery[] inRounds(int size, String what, Round round, long deadline) {
        Delivery[] outcomes = new Delivery[size];
        int[] pending = new int[size];
        Arrays.setAll(pending, i -> i);
        int[] count = { size };
        Delivery.Deferred gaveUp = repeat(() -> {
            round.send(pending, count[0], outcomes);
            // The deferred ones move to the front, in order: they are the next round.
            int retry = 0;
            for (int i = 0; i < count[0]; i++) {
                if (outcomes[pending[i]] instanceof Delivery.Deferred) {
                    pending[retry++] = pending[i];
                }
            }
            count[0] = retry;
            return retrying(pending, retry, outcomes, what);
        }, deadline);
        if (gaveUp != null) {
            for (int k = 0; k < count[0]; k++) {
                int i = pending[k];
                outcomes[i] = outcomes[i] instanceof Delivery.Deferred d
                        ? new Delivery.Deferred(d.reason() + "; gave up within the time budget", null)
                        : gaveUp;
            }
        }
        return outcomes;
    }

    /**
     * What a round leaves to retry: null when nothing, else a Deferred naming how many {@code what} wait and one
     * reason, with the longest Retry-After among them.
     */
    private static Delivery.Deferred retrying(int[] retry, int count, Delivery[] outcomes, String what) {
        if (count == 0) {
            return null;
        }
        Duration hint = null;
        for (int k = 0; k < count; k++) {
            Duration h = ((Delivery.Deferred) outcomes[retry[k]]).retryAfter();
            hint = h == null || (hint != null && hint.compareTo(h) >= 0) ? hint : h;
        }
        return new Delivery.Deferred(count + " " + what + " deferred, e.g. "
                + ((Delivery.Deferred) outcomes[retry[0]]).reason(), hint);
    }

    /** The same refusal for every send of a batch whose stored credential no longer opens. */
    public static Delivery[] credentialUnusable(int size, IllegalArgumentException why) {
        Delivery[] outcomes = new Delivery[size];
        Arrays.fill(outcomes, new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED,
                "the stored credential is no longer usable: " + why.getMessage()));
        return outcomes;
    }

    /**
     * Counts receivers not sent because their credential's breaker is open ({@code pushcore.breaker.open}, which the
     * template's CredentialBreakerOpen alarm watches).
     */
    public void refusedByOpenBreaker(String provider, int receivers) {
        metrics.counter("pushcore.breaker.open", "provider", provider).increment(receivers);
    }

    /** Records how long a provider call took ({@code pushcore.provider.latency}). */
    public <T> T timed(String provider, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            timers.computeIfAbsent(provider, p -> Timer.builder("pushcore.provider.latency").tag("provider", p)
                    .register(metrics)).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Exponential backoff with "equal jitter" (half fixed, half random), raised to the provider's Retry-After and
     * cut to what is left of the budget. One per {@link #repeat}, so the attempt count is per call.
     */
    static final class HintedBackoff {
        private final long initialMillis;
        private final long maxMillis;
        private int retries;

        HintedBackoff(Duration initial, Duration max) {
            this.initialMillis = Math.max(1, initial.toMillis());
            this.maxMillis = Math.max(initialMillis, max.toMillis());
        }

        long nextDelayMillis(Duration retryAfter, long leftNanos) {
            long exponential = Math.min(maxMillis, initialMillis << Math.min(retries++, 20));
            long delay = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
            if (retryAfter != null) {
                delay = Math.max(delay, retryAfter.toMillis());
            }
            return Math.max(0, Math.min(delay, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
        }
    }
}
