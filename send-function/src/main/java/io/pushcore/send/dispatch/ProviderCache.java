package io.pushcore.send.dispatch;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.netty.channel.EventLoopGroup;
import io.pushcore.provider.PushProvider;
import io.pushcore.provider.apns.ApnsProvider;
import io.pushcore.provider.fcm.FcmCredentials;
import io.pushcore.provider.fcm.FcmProvider;
import io.pushcore.provider.webpush.VapidKeys;
import io.pushcore.provider.webpush.WebPushProvider;
import io.pushcore.provider.webpush.WebPushTransport;
import io.pushcore.send.BoundedCache;
import io.pushcore.send.Credential;
import io.pushcore.send.config.ProviderSettings;
import io.pushcore.send.config.SendConfig;

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
     * @throws IllegalArgumentException when the stored credential no longer parses (an APNs certificate that
     *         expired since the bucket was created); the message names the field, never key material
     */
    public Warm<WebPushProvider> webPush(Credential.Vapid vapid) {
        return get(vapid, c -> new WebPushProvider(VapidKeys.parse(vapid.publicKey(), vapid.privateKey()),
                vapid.subject(), webPushTransport), "web push");
    }

    public Warm<ApnsProvider> apns(Credential.Apns apns) {
        return get(apns, c -> new ApnsProvider(apns.parse(), settings.apns().withEventLoopGroup(apnsEventLoops)),
                "APNs");
    }

    public Warm<FcmProvider> fcm(Credential.Fcm fcm) {
        return get(fcm, c -> new FcmProvider(FcmCredentials.parse(fcm.serviceAccountJson(),
                settings.fcmTokenUriAllowed()), settings.fcm()), "FCM");
    }

    @SuppressWarnings("unchecked")
    private <P extends PushProvider> Warm<P> get(Credential credential, Function<Credential, P> create,
            String provider) {
        return (Warm<P>) providers.computeIfAbsent(credential.id(), id -> new Warm<>(create.apply(credential),
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
