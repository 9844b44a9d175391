package io.pushcore.send.dispatch;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.model.Push;
import io.pushcore.model.WebPushSubscription;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.webpush.WebPushProvider;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.credential.Credential;

/**
 * Web Push, one receiver per call. No circuit breaker here: a VAPID key is checked by each browser's push service
 * separately, so one service refusing it or timing out says nothing about the others.
 */
@ApplicationScoped
public class WebPushSender {

    public static final String NAME = "webpush";

    private final ProviderCache providers;
    private final Attempts attempts;
    private final ProviderBulkhead bulkhead;

    WebPushSender(ProviderCache providers, Attempts attempts, SendConfig config) {
        this.providers = providers;
        this.attempts = attempts;
        this.bulkhead = new ProviderBulkhead(NAME, config.dispatch().bulkhead().webpush());
    }

    public Delivery send(Credential.Vapid credential, Push push, WebPushSubscription subscription, long deadline) {
        WebPushProvider provider;
        try {
            provider = providers.webPush(credential).provider();
        } catch (IllegalArgumentException e) {
            return new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED, "the stored credential is no longer usable: "
                    + e.getMessage());
        }
        return attempts.untilSettled(() -> attempts.withPermit(() -> bulkhead.call(
                () -> attempts.timed(NAME, () -> provider.send(push, subscription)),
                () -> new Delivery.Deferred("too many web push sends waiting", null)), deadline), deadline);
    }
}
