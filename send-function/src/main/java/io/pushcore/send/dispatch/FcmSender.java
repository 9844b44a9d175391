package io.pushcore.send.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.fcm.FcmProvider;
import io.pushcore.send.Credential;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.dispatch.CredentialBreaker.Verdict;
import io.pushcore.send.dispatch.ProviderCache.Warm;

/**
 * FCM, all receivers of one credential together through {@code sendEach} (chunks of 500, FCM still gets one
 * request per message). The deferred ones are sent again, together, with the same backoff and budget as single
 * sends; permanent errors are never retried (FCM counts them against the project's quota).
 */
@ApplicationScoped
public class FcmSender {

    public static final String NAME = "fcm";

    private final ProviderCache providers;
    private final Attempts attempts;
    private final ProviderBulkhead bulkhead;

    FcmSender(ProviderCache providers, Attempts attempts, SendConfig config) {
        this.providers = providers;
        this.attempts = attempts;
        this.bulkhead = new ProviderBulkhead(NAME, config.dispatch().bulkhead().fcm());
    }

    /** One outcome per push, in order. */
    public List<Delivery> send(Credential.Fcm credential, List<FcmProvider.Addressed> pushes, long deadline) {
        Delivery[] outcomes = new Delivery[pushes.size()];
        Warm<FcmProvider> warm;
        try {
            warm = providers.fcm(credential);
        } catch (IllegalArgumentException e) {
            Collections.nCopies(pushes.size(), new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED,
                    "the stored credential is no longer usable: " + e.getMessage())).toArray(outcomes);
            return List.of(outcomes);
        }
        List<Integer> pending = new ArrayList<>(IntStream.range(0, pushes.size()).boxed().toList());
        Delivery.Deferred gaveUp = attempts.repeat(() -> round(warm, pushes, pending, outcomes, deadline), deadline);
        if (gaveUp != null) {
            for (int i : pending) {
                outcomes[i] = outcomes[i] instanceof Delivery.Deferred d
                        ? new Delivery.Deferred(d.reason() + "; gave up within the time budget", null)
                        : gaveUp;
            }
        }
        return List.of(outcomes);
    }

    /** Sends what is pending; returns null when nothing is left to retry. */
    private Delivery.Deferred round(Warm<FcmProvider> warm, List<FcmProvider.Addressed> pushes, List<Integer> pending,
            Delivery[] outcomes, long deadline) {
        List<Integer> now = List.copyOf(pending);
        pending.clear();
        // Until FCM has taken this credential once, one message goes alone first (see CredentialBreaker).
        int alone = warm.breaker().isProven() ? now.size() : 1;
        sendBatch(warm, pushes, now.subList(0, alone), outcomes, pending, deadline);
        if (alone < now.size()) {
            sendBatch(warm, pushes, now.subList(alone, now.size()), outcomes, pending, deadline);
        }
        if (pending.isEmpty()) {
            return null;
        }
        Duration hint = null;
        for (int i : pending) {
            Duration h = ((Delivery.Deferred) outcomes[i]).retryAfter();
            hint = h == null || (hint != null && hint.compareTo(h) >= 0) ? hint : h;
        }
        return new Delivery.Deferred(pending.size() + " FCM messages deferred, e.g. "
                + ((Delivery.Deferred) outcomes[pending.getFirst()]).reason(), hint);
    }

    private void sendBatch(Warm<FcmProvider> warm, List<FcmProvider.Addressed> pushes, List<Integer> indices,
            Delivery[] outcomes, List<Integer> pending, long deadline) {
        List<FcmProvider.Addressed> batch = indices.stream().map(pushes::get).toList();
        List<Delivery> results;
        try {
            results = warm.breaker().call(() -> bulkhead.call(
                    () -> attempts.timed(NAME, () -> warm.provider().sendEach(batch)),
                    () -> Collections.nCopies(batch.size(),
                            new Delivery.Deferred("too many FCM batches waiting", null))),
                    FcmSender::verdict, deadline);
        } catch (CredentialBreaker.Open open) {
            results = Collections.nCopies(batch.size(), open.delivery());
        } catch (Attempts.BudgetExhausted e) {
            results = Collections.nCopies(batch.size(), new Delivery.Deferred(e.getMessage(), null));
        }
        for (int j = 0; j < indices.size(); j++) {
            outcomes[indices.get(j)] = results.get(j);
            if (results.get(j) instanceof Delivery.Deferred) {
                pending.add(indices.get(j));
            }
        }
    }

    static Verdict verdict(List<Delivery> batch) {
        return CredentialBreaker.verdict(batch);
    }
}
