package io.pushcore.send.dispatch;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.apns.ApnsPayload;
import io.pushcore.provider.apns.ApnsProvider;
import io.pushcore.send.Credential;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.dispatch.CredentialBreaker.Verdict;
import io.pushcore.send.dispatch.ProviderCache.Warm;

/** APNs, one receiver per call (pushy multiplexes the concurrent calls over the credential's connections). */
@ApplicationScoped
public class ApnsSender {

    public static final String NAME = "apns";

    private final ProviderCache providers;
    private final Attempts attempts;
    private final ProviderBulkhead bulkhead;

    ApnsSender(ProviderCache providers, Attempts attempts, SendConfig config) {
        this.providers = providers;
        this.attempts = attempts;
        this.bulkhead = new ProviderBulkhead(NAME, config.dispatch().bulkhead().apns());
    }

    /** {@code target} null lets the provider pick from the credential's topics. */
    public Delivery send(Credential.Apns credential, Push push, DeviceToken token, ApnsPayload.Target target,
            long deadline) {
        Warm<ApnsProvider> warm;
        try {
            warm = providers.apns(credential);
        } catch (IllegalArgumentException e) {
            return new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED, "the stored credential is no longer usable: "
                    + e.getMessage());
        }
        return attempts.untilSettled(() -> {
            try {
                return warm.breaker().call(() -> attempts.withPermit(() -> bulkhead.call(
                        () -> attempts.timed(NAME, () -> warm.provider().send(push, token, target)),
                        () -> new Delivery.Deferred("too many APNs sends waiting", null)), deadline),
                        ApnsSender::verdict, deadline);
            } catch (CredentialBreaker.Open open) {
                return open.delivery();
            }
        }, deadline);
    }

    static Verdict verdict(Delivery delivery) {
        return switch (delivery) {
            case Delivery.Accepted accepted -> Verdict.PROVEN;
            case Delivery.Deferred deferred -> Verdict.FAILED;
            case Delivery.Rejected rejected -> switch (rejected.code()) {
                case CREDENTIAL_REJECTED -> Verdict.REJECTED;
                case UNREGISTERED, PROVIDER_REJECTED -> Verdict.PROVEN;
                // the provider refuses malformed tokens and oversize payloads before sending
                default -> Verdict.NEUTRAL;
            };
        };
    }
}
