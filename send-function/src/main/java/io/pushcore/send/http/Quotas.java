package io.pushcore.send.http;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.send.ApiProblem;
import io.pushcore.send.quota.QuotaLimiter;
import io.pushcore.send.quota.QuotaUseCase;
import io.pushcore.send.quota.RateLimit;
import io.pushcore.send.storage.StoredToken;

/**
 * Charges the calling token's quotas at the start of a request: 429 with {@code Retry-After} (seconds to the
 * window's end, rounded up) when over a quota, counted in {@code pushcore.quota.refusals{use_case}}. Bootstrap keys
 * and tokens without a limit for the use case are not limited.
 */
@ApplicationScoped
public class Quotas {

    private final QuotaLimiter limiter;
    private final Caller caller;
    private final MeterRegistry metrics;

    Quotas(QuotaLimiter limiter, Caller caller, MeterRegistry metrics) {
        this.limiter = limiter;
        this.caller = caller;
        this.metrics = metrics;
    }

    /** {@code field} names what the units count, for the 400 when one request alone is larger than the quota. */
    public void charge(QuotaUseCase useCase, long units, String field) {
        StoredToken token = caller.token().orElse(null);
        RateLimit limit = token == null ? null : token.limits().get(useCase.wire());
        if (limit == null) {
            return;
        }
        String quota = useCase.wire() + " quota of " + limit.quota() + " per " + limit.interval() + " ms";
        if (units > limit.quota()) {
            throw new ApiProblem.Invalid("request larger than the quota",
                    List.of(field + ": " + units + " exceed this token's " + quota));
        }
        if (limiter.acquire(token.tokenId(), useCase, limit, units) instanceof QuotaLimiter.Refused refused) {
            metrics.counter("pushcore.quota.refusals", "use_case", useCase.wire()).increment();
            long seconds = Math.max(1, (refused.retryAfterMillis() + 999) / 1000);
            throw new ApiProblem.TooManyRequests("quota exceeded",
                    List.of(useCase.wire() + ": this token's " + quota + " is used up; retry after " + seconds + " s"),
                    seconds);
        }
    }
}
