package io.pushcore.send.dispatch;

import java.util.Collections;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.provider.Delivery;
import io.pushcore.provider.fcm.FcmProvider;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.credential.Credential;
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
        Warm<FcmProvider> warm;
        try {
            warm = providers.fcm(credential);
        } catch (IllegalArgumentException e) {
            return Attempts.credentialUnusable(pushes.size(), e);
        }
        return attempts.inRounds(pushes.size(),
                (now, retry, outcomes) -> round(warm, pushes, now, retry, outcomes, deadline), deadline);
    }

    /** One {@link Attempts.Round}: sends {@code now} with {@code sendEach}; the deferred ones go to {@code retry}. */
    private Delivery.Deferred round(Warm<FcmProvider> warm, List<FcmProvider.Addressed> pushes, List<Integer> now,
            List<Integer> retry, Delivery[] outcomes, long deadline) {
        // Until FCM has taken this credential once, one message goes alone first (see CredentialBreaker).
        int alone = warm.breaker().isProven() ? now.size() : 1;
        sendBatch(warm, pushes, now.subList(0, alone), outcomes, retry, deadline);
        if (alone < now.size()) {
            sendBatch(warm, pushes, now.subList(alone, now.size()), outcomes, retry, deadline);
        }
        return Attempts.retrying(retry, outcomes, "FCM messages");
    }

    private void sendBatch(Warm<FcmProvider> warm, List<FcmProvider.Addressed> pushes, List<Integer> indices,
            Delivery[] outcomes, List<Integer> retry, long deadline) {
        List<FcmProvider.Addressed> batch = indices.stream().map(pushes::get).toList();
        List<Delivery> results;
        try {
            results = warm.breaker().call(() -> bulkhead.call(
                    () -> attempts.timed(NAME, () -> warm.provider().sendEach(batch)),
                    () -> Collections.nCopies(batch.size(),
                            new Delivery.Deferred("too many FCM batches waiting", null))),
                    FcmSender::verdict, deadline);
        } catch (CredentialBreaker.Open open) {
            attempts.refusedByOpenBreaker(NAME, batch.size());
            results = Collections.nCopies(batch.size(), open.delivery());
        } catch (Attempts.BudgetExhausted e) {
            results = Collections.nCopies(batch.size(), new Delivery.Deferred(e.getMessage(), null));
        }
        for (int j = 0; j < indices.size(); j++) {
            outcomes[indices.get(j)] = results.get(j);
            if (results.get(j) instanceof Delivery.Deferred) {
                retry.add(indices.get(j));
            }
        }
    }

    static Verdict verdict(List<Delivery> batch) {
        return CredentialBreaker.verdict(batch);
    }
}
