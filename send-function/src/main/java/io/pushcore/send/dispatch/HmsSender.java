package io.pushcore.send.dispatch;

import java.util.Collections;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.provider.Delivery;
import io.pushcore.provider.hms.HmsProvider;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.credential.Credential;
import io.pushcore.send.dispatch.ProviderCache.Warm;

/**
 * Huawei Push Kit, all receivers of one credential together through {@link HmsProvider#sendEach} (one request per
 * message, sent concurrently), guarded like FCM: the credential's {@link CredentialBreaker} and the Push Kit
 * {@link ProviderBulkhead}, one message alone first until Push Kit has taken the credential once. The deferred ones
 * are sent again, together, within the request's time budget; permanent errors are never retried.
 */
@ApplicationScoped
public class HmsSender {

    public static final String NAME = "hms";

    private final ProviderCache providers;
    private final Attempts attempts;
    private final ProviderBulkhead bulkhead;

    HmsSender(ProviderCache providers, Attempts attempts, SendConfig config) {
        this.providers = providers;
        this.attempts = attempts;
        this.bulkhead = new ProviderBulkhead(NAME, config.dispatch().bulkhead().hms());
    }

    /** One outcome per push, in order. */
    public List<Delivery> send(Credential.Hms credential, List<HmsProvider.Addressed> pushes, long deadline) {
        Warm<HmsProvider> warm;
        try {
            warm = providers.hms(credential);
        } catch (IllegalArgumentException e) {
            return Attempts.credentialUnusable(pushes.size(), e);
        }
        return attempts.inRounds(pushes.size(),
                (now, retry, outcomes) -> round(warm, pushes, now, retry, outcomes, deadline), deadline);
    }

    private Delivery.Deferred round(Warm<HmsProvider> warm, List<HmsProvider.Addressed> pushes, List<Integer> now,
            List<Integer> retry, Delivery[] outcomes, long deadline) {
        int alone = warm.breaker().isProven() ? now.size() : 1;
        sendBatch(warm, pushes, now.subList(0, alone), outcomes, retry, deadline);
        if (alone < now.size()) {
            sendBatch(warm, pushes, now.subList(alone, now.size()), outcomes, retry, deadline);
        }
        return Attempts.retrying(retry, outcomes, "Push Kit messages");
    }

    private void sendBatch(Warm<HmsProvider> warm, List<HmsProvider.Addressed> pushes, List<Integer> indices,
            Delivery[] outcomes, List<Integer> retry, long deadline) {
        List<HmsProvider.Addressed> batch = indices.stream().map(pushes::get).toList();
        List<Delivery> results;
        try {
            results = warm.breaker().call(() -> bulkhead.call(
                    () -> attempts.timed(NAME, () -> warm.provider().sendEach(batch)),
                    () -> Collections.nCopies(batch.size(),
                            new Delivery.Deferred("too many Push Kit batches waiting", null))),
                    CredentialBreaker::verdict, deadline);
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
}
