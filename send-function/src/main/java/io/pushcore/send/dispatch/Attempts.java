package io.pushcore.send.dispatch;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pushcore.provider.Delivery;
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

    /**
     * Starts one asynchronous send holding one of the instance's in-flight permits until its answer; waits for the
     * permit (blocking the caller) until the deadline.
     *
     * @throws BudgetExhausted when no permit came free before the deadline: nothing was sent
     */
    public <T> CompletableFuture<T> withPermitAsync(Supplier<CompletableFuture<T>> send, long deadline) {
        long remaining = deadline - System.nanoTime();
        try {
            if (remaining <= 0 || !inFlight.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
                throw new BudgetExhausted("time budget of " + timeBudget.toMillis() + " ms ran out before sending");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BudgetExhausted("interrupted before sending");
        }
        CompletableFuture<T> answer;
        try {
            answer = send.get();
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
        answer.whenComplete((result, failure) -> inFlight.release());
        return answer;
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
