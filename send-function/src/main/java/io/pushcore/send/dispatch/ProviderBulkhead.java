package io.pushcore.send.dispatch;

import java.util.function.Supplier;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;

import io.smallrye.faulttolerance.api.Guard;

/** The SmallRye bulkhead of one provider: at most {@code limit} calls at once, the rest wait in line. */
final class ProviderBulkhead {

    // Enough room for every receiver of a few concurrent 1000-receiver requests; waiting is bounded by the budget.
    private static final int QUEUE = 4000;

    private final Guard guard;

    ProviderBulkhead(String provider, int limit) {
        this.guard = Guard.create()
                .withDescription(provider + " bulkhead")
                .withBulkhead().limit(limit).queueSize(QUEUE).enableSynchronousQueueing().done()
                .build();
    }

    /** Runs {@code call} within the bulkhead, or returns {@code whenFull} when even the line is full. */
    @SuppressWarnings("unchecked")
    <T> T call(Supplier<T> call, Supplier<T> whenFull) {
        try {
            return (T) guard.call(call::get, Object.class);
        } catch (BulkheadException e) {
            return whenFull.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
