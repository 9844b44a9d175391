package io.pushcore.send.dispatch;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.smallrye.faulttolerance.api.Guard;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * The circuit breaker of one APNs, FCM or Push Kit credential, so that a dead credential stops costing time and stops
 * hammering the provider. Two SmallRye circuit breakers: one opens on the first attempt the provider answers with
 * a rejection of the credential itself, the other after {@code failures} transient failures in a row (timeouts,
 * 5xx, 429). While one is open, attempts fail fast without a request, for {@code delay}; then one trial goes out.
 *
 * <p>
 * A breaker only learns from answers, and a 1000-receiver fan-out would send hundreds of requests before the first
 * answer comes back. So until the provider has once accepted something from this credential (it is "proven"),
 * attempts go out one at a time; once proven, they run concurrently.
 */
public final class CredentialBreaker {

    /** What one attempt says about the credential. */
    public enum Verdict {
        /** The provider took the credential (it accepted, or refused for a reason that is not the credential). */
        PROVEN,
        /** The provider refused the credential itself. */
        REJECTED,
        /** No answer, or a transient failure. */
        FAILED,
        /** Nothing learned (refused before sending). */
        NEUTRAL
    }

    private final String provider;
    private final Duration delay;
    private final int failures;
    private final Guard rejections;
    private final Guard stalls;
    private final Semaphore probe = new Semaphore(1);
    private volatile boolean proven;
    private volatile String rejection;

    public CredentialBreaker(String provider, Duration delay, int failures) {
        this.provider = provider;
        this.delay = delay;
        this.failures = failures;
        this.rejections = Guard.create()
                .withDescription(provider + " credential rejections")
                .withCircuitBreaker()
                .requestVolumeThreshold(1)
                .failureRatio(1.0)
                .successThreshold(1)
                .delay(delay.toMillis(), ChronoUnit.MILLIS)
                .failOn(RejectedMark.class)
                .done()
                .build();
        this.stalls = Guard.create()
                .withDescription(provider + " credential failures")
                .withCircuitBreaker()
                .requestVolumeThreshold(failures)
                .failureRatio(1.0)
                .successThreshold(1)
                .delay(delay.toMillis(), ChronoUnit.MILLIS)
                .failOn(FailedMark.class)
                .done()
                .build();
    }

    public boolean isProven() {
        return proven;
    }

    /** What {@link #call} came to: the attempt's result, or why nothing was sent. */
    public sealed interface Outcome<T> {
    }

    /** The attempt went out; {@code result} is what it returned. */
    public record Sent<T>(T result) implements Outcome<T> {
    }

    /**
     * Nothing was sent: {@code delivery} is what each receiver of the attempt gets. {@code open} when a breaker
     * refused (a {@code Rejected}), false when the budget ran out waiting for the probe ahead (a {@code Deferred}).
     */
    public record NotSent<T>(Delivery delivery, boolean open) implements Outcome<T> {
    }

    /**
     * Makes one attempt through both breakers and says what came of it. Never throws for an open breaker or a
     * budget that ran out; an exception from {@code attempt} itself passes through.
     */
    @SuppressWarnings("unchecked")
    public <T> Outcome<T> call(Supplier<T> attempt, Function<T, Verdict> judge, long deadline) {
        boolean probing = false;
        if (!proven) {
            Delivery waited = awaitProbe(deadline);
            if (waited != null) {
                return new NotSent<>(waited, false);
            }
            probing = !proven;
            if (!probing) {
                probe.release();
            }
        }
        // SmallRye's circuit breaker learns only from exceptions (its when/failOn/skipOn judge a Throwable; 6.x has
        // no result predicate for it), so a failed verdict is told to it by a stateless marker thrown and caught
        // right here. The result itself stays in this local; it never travels inside an exception.
        Object[] result = new Object[1];
        try {
            Object answer = rejections.call(() -> {
                try {
                    return stalls.call(() -> judged(attempt.get(), judge, result), Object.class);
                } catch (CircuitBreakerOpenException e) {
                    // returned, not thrown: like any exception outside failOn, the rejections breaker counts it
                    // as a success
                    return STALLED;
                }
            }, Object.class);
            if (answer == STALLED) {
                return new NotSent<>(new Delivery.Rejected(ErrorCode.PROVIDER_UNAVAILABLE, "not sent: the last "
                        + failures + " " + provider + " attempts with this credential failed; it is paused for "
                        + delay.toSeconds() + " s"), true);
            }
            return new Sent<>((T) result[0]);
        } catch (Mark counted) {
            return new Sent<>((T) result[0]);
        } catch (CircuitBreakerOpenException e) {
            return new NotSent<>(new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED, rejection + "; not sent: "
                    + provider + " refused this credential moments ago, it is paused for " + delay.toSeconds()
                    + " s"), true);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (probing) {
                probe.release();
            }
        }
    }

    /** Takes the probe permit (null), or says why not before the deadline. */
    private Delivery awaitProbe(long deadline) {
        try {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || !probe.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
                return new Delivery.Deferred("time budget ran out waiting for the first " + provider
                        + " answer for this credential", null);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Deferred("interrupted before sending", null);
        }
    }

    private <T> Object judged(T answer, Function<T, Verdict> judge, Object[] result) {
        result[0] = answer;
        switch (judge.apply(answer)) {
            case PROVEN -> proven = true;
            case REJECTED -> {
                proven = false;
                rejection = rejectionIn(answer);
                throw REJECTED_MARK;
            }
            case FAILED -> throw FAILED_MARK;
            case NEUTRAL -> {
            }
        }
        return answer;
    }

    // A single send's outcome, or a batch's outcomes (FCM sendEach).
    private String rejectionIn(Object result) {
        List<?> outcomes = result instanceof List<?> list ? list : List.of(result);
        for (Object o : outcomes) {
            if (o instanceof Delivery.Rejected r && r.code() == ErrorCode.CREDENTIAL_REJECTED) {
                return r.reason();
            }
        }
        return provider + " refused the credential";
    }

    /** What {@code stalls} returns when it is open (never a result of an attempt). */
    private static final Object STALLED = new Object();

    /**
     * Tells a SmallRye breaker that an attempt counts against it; carries nothing, shared (no stack trace, no
     * suppression), never leaves {@link #call}.
     */
    private abstract static sealed class Mark extends RuntimeException permits RejectedMark, FailedMark {
        Mark() {
            super(null, null, false, false);
        }
    }

    private static final class RejectedMark extends Mark {
    }

    private static final class FailedMark extends Mark {
    }

    private static final Mark REJECTED_MARK = new RejectedMark();
    private static final Mark FAILED_MARK = new FailedMark();

    /**
     * What one batch of answers (FCM {@code sendEach}, an APNs chunk) says about the credential: proven when any
     * was accepted, rejected when the provider refused the credential, proven when the provider answered at all,
     * failed when every one was deferred, else nothing learned.
     */
    public static Verdict verdict(List<Delivery> batch) {
        boolean accepted = false;
        boolean credentialRejected = false;
        boolean answered = false;
        for (Delivery d : batch) {
            switch (d) {
                case Delivery.Accepted a -> accepted = true;
                case Delivery.Rejected r when r.code() == ErrorCode.CREDENTIAL_REJECTED -> credentialRejected = true;
                case Delivery.Rejected r -> answered |= r.code() == ErrorCode.UNREGISTERED
                        || r.code() == ErrorCode.PROVIDER_REJECTED;
                case Delivery.Deferred deferred -> {
                }
            }
        }
        if (accepted) {
            return Verdict.PROVEN;
        }
        if (credentialRejected) {
            return Verdict.REJECTED;
        }
        if (answered) {
            return Verdict.PROVEN;
        }
        return batch.stream().allMatch(Delivery.Deferred.class::isInstance) && !batch.isEmpty() ? Verdict.FAILED
                : Verdict.NEUTRAL;
    }
}
