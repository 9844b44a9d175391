package io.pushcore.send.dispatch;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.send.config.SendConfig;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;

/**
 * Retrying within a request's time budget, shared by all senders: transient outcomes are retried with exponential
 * backoff and jitter, never sooner than the provider's Retry-After, until the deadline (counted from the start of
 * the request); a hint that would outlast the budget ends the retries at once. Also bounds the single sends in
 * flight per function instance ({@code send.dispatch.concurrency}).
 */
@ApplicationScoped
public class Attempts {

    private final MeterRegistry metrics;
    private final Semaphore inFlight;
    private final Duration timeBudget;
    private final Guard retry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    Attempts(MeterRegistry metrics, SendConfig config) {
        this.metrics = metrics;
        this.inFlight = new Semaphore(config.dispatch().concurrency());
        this.timeBudget = config.dispatch().timeBudget();
        Duration initialBackoff = config.dispatch().initialBackoff();
        Duration maxBackoff = config.dispatch().maxBackoff();
        this.retry = Guard.create()
                .withDescription("provider retry")
                .withRetry()
                // The deadline check in repeat() ends the retries; these two are only backstops.
                .maxRetries(1000)
                .maxDuration(timeBudget.toMillis() + 1000, ChronoUnit.MILLIS)
                .delay(initialBackoff.toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .retryOn(Retry.class)
                .withCustomBackoff().strategy(() -> new HintedBackoff(initialBackoff, maxBackoff)).done()
                .done()
                .build();
    }

    /** The deadline of a request that arrived at {@code startedNanos}, both in {@link System#nanoTime()} terms. */
    public long deadline(long startedNanos) {
        return startedNanos + timeBudget.toNanos();
    }

    /** Sends once and again while the outcome is {@link Delivery.Deferred}; returns the final outcome. */
    public Delivery untilSettled(Supplier<Delivery> attempt, long deadline) {
        AtomicReference<Delivery> last = new AtomicReference<>();
        Delivery.Deferred gaveUp = repeat(() -> {
            Delivery outcome = attempt.get();
            last.setPlain(outcome);
            return outcome instanceof Delivery.Deferred d ? d : null;
        }, deadline);
        return gaveUp != null ? gaveUp : last.getPlain();
    }

    /**
     * Runs {@code round} until it returns null (nothing left to retry) and returns null, or until the budget runs
     * out and returns why. A round returns a {@link Delivery.Deferred} whose reason and Retry-After stand for what
     * it left to retry.
     */
    public Delivery.Deferred repeat(Supplier<Delivery.Deferred> round, long deadline) {
        try {
            return retry.call(() -> {
                Delivery.Deferred deferred = round.get();
                if (deferred == null) {
                    return null;
                }
                long left = deadline - System.nanoTime();
                long hint = deferred.retryAfter() == null ? 0 : deferred.retryAfter().toNanos();
                if (left <= 0 || hint >= left) {
                    // Waiting for the provider's hint would outlast the budget: give up now, not at the deadline.
                    throw new BudgetExhausted(deferred.reason() + "; gave up within the " + timeBudget.toMillis()
                            + " ms time budget");
                }
                throw new Retry(deferred, deadline);
            }, Delivery.Deferred.class);
        } catch (Retry e) {
            return e.deferred;
        } catch (BudgetExhausted e) {
            return new Delivery.Deferred(e.getMessage(), null);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one single send holding one of the instance's in-flight permits, waiting for it until the deadline. */
    public Delivery withPermit(Supplier<Delivery> send, long deadline) {
        long remaining = deadline - System.nanoTime();
        try {
            if (remaining <= 0 || !inFlight.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
                throw new BudgetExhausted("time budget of " + timeBudget.toMillis() + " ms ran out before sending");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BudgetExhausted("interrupted before sending");
        }
        try {
            return send.get();
        } finally {
            inFlight.release();
        }
    }

    /** One round of a batch: sends the indexes in {@code pending}, see {@link #inRounds}. */
    @FunctionalInterface
    public interface Round {
        /**
         * Sends {@code now} (the indexes pending at the start of the round), writes each outcome to {@code outcomes}
         * and adds the indexes worth retrying to {@code retry}; returns null when there are none, else a Deferred
         * standing for them (its Retry-After is honoured).
         */
        Delivery.Deferred send(List<Integer> now, List<Integer> retry, Delivery[] outcomes);
    }

    /**
     * A batch of {@code size} sends retried by rounds (APNs chunks, FCM {@code sendEach}): each round resends only
     * what the last one left to retry, with {@link #repeat}'s backoff, until nothing is left or the budget runs out;
     * the sends still pending then keep their last transient outcome, marked as given up. One outcome per send, in
     * order.
     */
    public List<Delivery> inRounds(int size, Round round, long deadline) {
        Delivery[] outcomes = new Delivery[size];
        List<Integer> pending = new ArrayList<>(IntStream.range(0, size).boxed().toList());
        Delivery.Deferred gaveUp = repeat(() -> {
            List<Integer> now = List.copyOf(pending);
            pending.clear();
            return round.send(now, pending, outcomes);
        }, deadline);
        if (gaveUp != null) {
            for (int i : pending) {
                outcomes[i] = outcomes[i] instanceof Delivery.Deferred d
                        ? new Delivery.Deferred(d.reason() + "; gave up within the time budget", null)
                        : gaveUp;
            }
        }
        return List.of(outcomes);
    }

    /**
     * What a round returns: null when {@code retry} is empty, else a Deferred naming how many {@code what} wait and
     * one reason, with the longest Retry-After among them.
     */
    public static Delivery.Deferred retrying(List<Integer> retry, Delivery[] outcomes, String what) {
        if (retry.isEmpty()) {
            return null;
        }
        Duration hint = null;
        for (int i : retry) {
            Duration h = ((Delivery.Deferred) outcomes[i]).retryAfter();
            hint = h == null || (hint != null && hint.compareTo(h) >= 0) ? hint : h;
        }
        return new Delivery.Deferred(retry.size() + " " + what + " deferred, e.g. "
                + ((Delivery.Deferred) outcomes[retry.getFirst()]).reason(), hint);
    }

    /** The same refusal for every send of a batch whose stored credential no longer opens. */
    public static List<Delivery> credentialUnusable(int size, IllegalArgumentException why) {
        return Collections.nCopies(size, new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED,
                "the stored credential is no longer usable: " + why.getMessage()));
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

    /** The time budget ran out (also while waiting for a permit or a probe); never retried. */
    public static final class BudgetExhausted extends RuntimeException {
        BudgetExhausted(String message) {
            super(message, null, false, false);
        }
    }

    /** Something is worth retrying; carries the provider's hint for {@link HintedBackoff}. */
    static final class Retry extends RuntimeException {
        final Delivery.Deferred deferred;
        final long deadline;

        Retry(Delivery.Deferred deferred, long deadline) {
            super(deferred.reason(), null, false, false);
            this.deferred = deferred;
            this.deadline = deadline;
        }
    }

    /**
     * Exponential backoff with "equal jitter" (half fixed, half random), raised to the provider's Retry-After and
     * cut to what is left of the budget. SmallRye creates one per guarded call, so the attempt count is per call.
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
            if (cause instanceof Retry retry) {
                if (retry.deferred.retryAfter() != null) {
                    delay = Math.max(delay, retry.deferred.retryAfter().toMillis());
                }
                long left = TimeUnit.NANOSECONDS.toMillis(retry.deadline - System.nanoTime());
                delay = Math.max(0, Math.min(delay, left));
            }
            return delay;
        }
    }
}
