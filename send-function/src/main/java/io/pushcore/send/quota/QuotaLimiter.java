package io.pushcore.send.quota;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.pushcore.send.config.QuotaConfig;
import io.pushcore.send.storage.QuotaCounters;

/**
 * Enforces a token's {@link RateLimit} for a use case across instances: fixed windows of {@code interval} ms
 * (aligned to the epoch), one shared counter per window in {@link QuotaCounters}, from which each instance leases
 * slices of {@code quota / send.quota.slices} units and spends them locally. The units leased in a window never
 * exceed its quota, so no instance admits more than the quota together with the others; units an instance leased
 * and did not spend are lost when the window ends (the tenant may get up to one slice per instance less).
 *
 * <p>When the counter cannot be reached the request is admitted (logged): quotas protect the service, and failing
 * every send of every token because S3 is slow would do more harm than a window without its limit.
 */
@ApplicationScoped
public class QuotaLimiter {

    private static final Logger LOG = Logger.getLogger(QuotaLimiter.class);

    /** Admitted, or refused with the milliseconds until the window ends. */
    public sealed interface Decision {
    }

    public record Admitted() implements Decision {
    }

    public record Refused(long retryAfterMillis) implements Decision {
    }

    /** The units this instance leased for one token and use case in its current window and has not spent yet. */
    private static final class Slice {
        long window = -1;
        long interval;
        long left;
    }

    private final QuotaCounters counters;
    private final Clock clock;
    private final int slices;
    private final Map<String, Slice> local = new ConcurrentHashMap<>();

    @Inject
    QuotaLimiter(QuotaCounters counters, Clock clock, QuotaConfig config) {
        this(counters, clock, config.slices());
    }

    public QuotaLimiter(QuotaCounters counters, Clock clock, int slices) {
        if (slices < 1) {
            throw new IllegalStateException("send.quota.slices (SEND_QUOTA_SLICES): must be at least 1");
        }
        this.counters = counters;
        this.clock = clock;
        this.slices = slices;
    }

    /** Takes {@code units} (at most the quota) from the token's window for this use case, or refuses. */
    public Decision acquire(String tokenId, QuotaUseCase useCase, RateLimit limit, long units) {
        long now = clock.millis();
        long window = now / limit.interval();
        long retryAfter = (window + 1) * limit.interval() - now;
        Slice slice = local.computeIfAbsent(tokenId + "/" + useCase.wire(), k -> new Slice());
        // one lease at a time per token and use case on this instance: the others would lease the same units anyway
        synchronized (slice) {
            if (slice.window != window || slice.interval != limit.interval()) {
                slice.window = window;
                slice.interval = limit.interval();
                slice.left = 0;
            }
            if (slice.left >= units) {
                slice.left -= units;
                return new Admitted();
            }
            long need = units - slice.left;
            long want = Math.max(need, (limit.quota() + slices - 1) / slices);
            long leased;
            try {
                leased = counters.lease(tokenId + "/" + useCase.wire() + "/" + limit.interval() + "-" + window,
                        need, want, limit.quota());
            } catch (RuntimeException e) {
                LOG.warnf("quota counter for %s unavailable, request admitted: %s", useCase.wire(), e.toString());
                return new Admitted();
            }
            if (leased == 0) {
                return new Refused(retryAfter);
            }
            slice.left += leased - units;
            return new Admitted();
        }
    }
}
