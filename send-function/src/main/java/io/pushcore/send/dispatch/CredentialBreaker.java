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
 * The circuit breaker of one APNs or FCM credential, so that a dead credential stops costing time and stops
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
                .failOn(Rejected.class)
                .done()
                .build();
        this.stalls = Guard.create()
                .withDescription(provider + " credential failures")
                .withCircuitBreaker()
                .requestVolumeThreshold(failures)
                .failureRatio(1.0)
                .successThreshold(1)
                .delay(delay.toMillis(), ChronoUnit.MILLIS)
                .failOn(Failed.class)
                .done()
                .build();
    }

    public boolean isProven() {
        return proven;
    }

    /**
     * Makes one attempt through both breakers and returns its result.
     *
     * @throws Open when a breaker is open: nothing was sent
     * @throws Attempts.BudgetExhausted when the deadline passed while waiting for the probe ahead
     */
    @SuppressWarnings("unchecked")
    public <T> T call(Supplier<T> attempt, Function<T, Verdict> judge, long deadline) {
        boolean probing = !proven && awaitProbe(deadline);
        try {
            return (T) rejections.call(() -> {
                try {
                    return stalls.call(() -> judged(attempt.get(), judge), Object.class);
                } catch (CircuitBreakerOpenException e) {
                    throw new Open(new Delivery.Rejected(ErrorCode.PROVIDER_UNAVAILABLE, "not sent: the last "
                            + failures + " " + provider + " attempts with this credential failed; it is paused for "
                            + delay.toSeconds() + " s"));
                }
            }, Object.class);
        } catch (Verdicted v) {
            return (T) v.result;
        } catch (CircuitBreakerOpenException e) {
            throw new Open(new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED, rejection + "; not sent: "
                    + provider + " refused this credential moments ago, it is paused for " + delay.toSeconds()
                    + " s"));
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

    private boolean awaitProbe(long deadline) {
        try {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || !probe.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
                throw new Attempts.BudgetExhausted("time budget ran out waiting for the first " + provider
                        + " answer for this credential");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Attempts.BudgetExhausted("interrupted before sending");
        }
        if (proven) {
            probe.release();
            return false;
        }
        return true;
    }

    private <T> Object judged(T result, Function<T, Verdict> judge) {
        switch (judge.apply(result)) {
            case PROVEN -> proven = true;
            case REJECTED -> {
                proven = false;
                rejection = rejectionIn(result);
                throw new Rejected(result);
            }
            case FAILED -> throw new Failed(result);
            case NEUTRAL -> {
            }
        }
        return result;
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

    /** Why {@link #call} sent nothing: the delivery each receiver of that attempt gets. */
    public static final class Open extends RuntimeException {
        private final Delivery delivery;

        Open(Delivery delivery) {
            super(delivery.toString(), null, false, false);
            this.delivery = delivery;
        }

        public Delivery delivery() {
            return delivery;
        }
    }

    /** Carries an attempt's result through the breakers that count it as a failure. */
    private abstract static sealed class Verdicted extends RuntimeException permits Rejected, Failed {
        final Object result;

        Verdicted(Object result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    private static final class Rejected extends Verdicted {
        Rejected(Object result) {
            super(result);
        }
    }

    private static final class Failed extends Verdicted {
        Failed(Object result) {
            super(result);
        }
    }

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
