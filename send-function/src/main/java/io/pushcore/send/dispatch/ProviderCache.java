package io.pushcore.send.dispatch;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.netty.channel.EventLoopGroup;
import io.pushcore.provider.PushProvider;
import io.pushcore.provider.apns.ApnsProvider;
import io.pushcore.provider.fcm.FcmProvider;
import io.pushcore.provider.hms.HmsProvider;
import io.pushcore.provider.webpush.WebPushProvider;
import io.pushcore.provider.webpush.WebPushTransport;
import io.pushcore.send.BoundedCache;
import io.pushcore.send.config.ProviderSettings;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.credential.Credential;

/**
 * One provider per credential, kept while the function is warm so that connections, access tokens and JWTs are
 * reused; evicted providers are closed. All APNs providers share one Netty event loop group, closed on shutdown.
 */
@ApplicationScoped
public class ProviderCache {

    private static final Logger LOG = Logger.getLogger(ProviderCache.class);

    /** A credential's provider and its circuit breaker. */
    public record Warm<P extends PushProvider>(P provider, CredentialBreaker breaker) {
    }

    private final WebPushTransport webPushTransport;
    private final ProviderSettings settings;
    private final SendConfig.CircuitBreaker breakers;
    private final EventLoopGroup apnsEventLoops;
    private final BoundedCache<UUID, Warm<?>> providers;

    ProviderCache(WebPushTransport webPushTransport, ProviderSettings settings, SendConfig config) {
        this.webPushTransport = webPushTransport;
        this.settings = settings;
        this.breakers = config.dispatch().circuitBreaker();
        this.apnsEventLoops = ApnsProvider.newEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors()));
        this.providers = new BoundedCache<>(config.cache().maxBuckets() * 4, ProviderCache::closeLater);
    }

    /**
     * @throws IllegalArgumentException when the provider cannot be built from the credential (a service account
     *         Google's library cannot load); the message names the field, never key material
     */
    public Warm<WebPushProvider> webPush(Credential.Vapid vapid) {
        return get(vapid, () -> new WebPushProvider(vapid.keys(), vapid.subject(), webPushTransport), "web push");
    }

    public Warm<ApnsProvider> apns(Credential.Apns apns) {
        return get(apns, () -> new ApnsProvider(apns.credentials(),
                settings.apns().withEventLoopGroup(apnsEventLoops)), "APNs");
    }

    public Warm<FcmProvider> fcm(Credential.Fcm fcm) {
        return get(fcm, () -> new FcmProvider(fcm.account(), settings.fcm()), "FCM");
    }

    public Warm<HmsProvider> hms(Credential.Hms hms) {
        return get(hms, () -> new HmsProvider(hms.credentials(), settings.hms()), "Push Kit");
    }

    @SuppressWarnings("unchecked")
    private <P extends PushProvider> Warm<P> get(Credential credential, Supplier<P> create, String provider) {
        return (Warm<P>) providers.computeIfAbsent(credential.id(), id -> new Warm<>(create.get(),
                new CredentialBreaker(provider, breakers.delay(), breakers.failures())));
    }

    // Closing waits for connections to drain; never do that inside the cache's lock.
    private static void closeLater(Warm<?> evicted) {
        Thread.ofVirtual().start(() -> close(evicted));
    }

    private static void close(Warm<?> warm) {
        try {
            warm.provider().close();
        } catch (RuntimeException e) {
            LOG.debugf(e, "closing a provider failed");
        }
    }

    @PreDestroy
    void shutdown() {
        providers.drain().forEach(ProviderCache::close);
        apnsEventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
