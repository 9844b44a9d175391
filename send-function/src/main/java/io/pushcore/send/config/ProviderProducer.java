package io.pushcore.send.config;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Metrics;
import io.pushcore.crypto.CredentialCipher;
import io.pushcore.crypto.KeyRing;
import io.pushcore.crypto.MessageIds;
import io.pushcore.metrics.EmfMeterRegistry;
import io.pushcore.net.NetworkPolicy;
import io.pushcore.provider.apns.ApnsProvider;
import io.pushcore.provider.fcm.FcmCredentials;
import io.pushcore.provider.fcm.FcmProvider;
import io.pushcore.provider.hms.HmsCredentials;
import io.pushcore.provider.hms.HmsProvider;
import io.pushcore.provider.webpush.WebPushTransport;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/** Builds shared's plain-Java objects from {@link SendConfig}; one of each per function instance. */
@ApplicationScoped
public class ProviderProducer {

    private static final Logger LOG = Logger.getLogger(ProviderProducer.class);

    private final SendConfig config;

    ProviderProducer(SendConfig config) {
        this.config = config;
    }

    /**
     * Fails startup, not the first request, when a key or the default VAPID subject is missing or malformed, or when
     * routes would end before their bucket does.
     */
    void validateAtStartup(@Observes StartupEvent event, CredentialCipher cipher,
            @WebhookKeys CredentialCipher webhookCipher, MessageIds messageIds, ProviderSettings providers) {
        // which rotation step this instance is at; ids only, never keys
        LOG.infof("active keys: credential %d, webhook %d, message-id %d", cipher.activeKeyId(),
                webhookCipher.activeKeyId(), messageIds.activeKeyId());
        if (config.events().retention().compareTo(config.bucket().lifetime()) <= 0) {
            throw new IllegalStateException("send.events.retention (SEND_EVENTS_RETENTION) must be longer than "
                    + "send.bucket.lifetime: routes are kept that long from a bucket's creation");
        }
        String subject = config.webpush().defaultSubject();
        URI uri;
        try {
            uri = URI.create(subject);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("mailto".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalStateException(
                    "send.webpush.default-subject (SEND_WEBPUSH_DEFAULT_SUBJECT) must be a mailto: or https: URL");
        }
    }

    /** Seals and opens provider credentials. */
    @Produces
    @Singleton
    CredentialCipher credentialCipher() {
        SendConfig.Security security = config.security();
        return new CredentialCipher(KeyRing.fromConfig("send.security.credential", security.credentialKey(),
                security.credentialKeys(), security.credentialKeysActive(), CredentialCipher.MASTER_KEY_BYTES,
                CredentialCipher.MASTER_KEY_BYTES));
    }

    /** Seals webhook callbacks (buckets and their routes), with a ring of their own that the aggregator shares. */
    @Produces
    @Singleton
    @WebhookKeys
    CredentialCipher webhookCipher() {
        SendConfig.Security security = config.security();
        return new CredentialCipher(KeyRing.fromConfig("send.security.webhook", null,
                Optional.of(security.webhookKeys()), security.webhookKeysActive(), CredentialCipher.MASTER_KEY_BYTES,
                CredentialCipher.MASTER_KEY_BYTES));
    }

    @Produces
    @Singleton
    MessageIds messageIds() {
        SendConfig.Security security = config.security();
        return new MessageIds(KeyRing.fromConfig("send.security.message-id", security.messageIdKey(),
                security.messageIdKeys(), security.messageIdKeysActive(), MessageIds.MIN_KEY_BYTES,
                Integer.MAX_VALUE));
    }

    @Produces
    @Singleton
    NetworkPolicy networkPolicy() {
        return config.network().allowPrivate() ? new NetworkPolicy(true) : NetworkPolicy.PRODUCTION;
    }

    @Produces
    @Singleton
    WebPushTransport webPushTransport(Vertx vertx, NetworkPolicy policy) {
        SendConfig.WebPush webpush = config.webpush();
        return new WebPushTransport(vertx, policy, new WebPushTransport.Limits(webpush.connectTimeout(),
                webpush.requestTimeout(), webpush.connectionsPerOrigin(), webpush.maxConnections(),
                webpush.idleTimeout(), webpush.maxResponseBytes()));
    }

    /** Production defaults reach the real APNs, FCM and Push Kit hosts; overrides exist for tests and local runs. */
    @Produces
    @Singleton
    ProviderSettings providerSettings() {
        SendConfig.Apns apns = config.providers().apns();
        ApnsProvider.Options apnsOptions = ApnsProvider.Options.DEFAULT
                .withServer(apns.host().orElse(null), apns.port())
                .withConcurrency(apns.connections(), apns.maxInFlight())
                .withTimeout(apns.requestTimeout());
        if (apns.trustedCertificates().isPresent()) {
            apnsOptions = apnsOptions.withTrustedServerCertificates(
                    certificates(apns.trustedCertificates().get()).toArray(X509Certificate[]::new));
        }
        SendConfig.Fcm fcm = config.providers().fcm();
        FcmProvider.Options fcmOptions = FcmProvider.Options.DEFAULT.withBaseUrl(fcm.baseUrl().orElse(null))
                .withTimeouts(fcm.requestTimeout(), fcm.requestTimeout());
        SendConfig.Hms hms = config.providers().hms();
        HmsProvider.Options hmsOptions = HmsProvider.Options.DEFAULT.withTimeouts(hms.requestTimeout(),
                hms.requestTimeout());
        // The providers post a JWT signed with the customer's key to token_uri, and an hms app's secret to its
        // authUrl: only Google's and Huawei's, except in development.
        Predicate<URI> anyHttp = uri -> "https".equalsIgnoreCase(uri.getScheme())
                || "http".equalsIgnoreCase(uri.getScheme());
        boolean anyHost = config.network().allowPrivate();
        return new ProviderSettings(apnsOptions, fcmOptions, hmsOptions,
                anyHost ? anyHttp : uri -> FcmCredentials.GOOGLE_TOKEN_URIS.contains(uri.toString()),
                anyHost ? anyHttp : HmsCredentials::isHuaweiUrl);
    }

    private static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new CertificateException("no certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IllegalStateException("send.providers.apns.trusted-certificates "
                    + "(SEND_PROVIDERS_APNS_TRUSTED_CERTIFICATES) must hold PEM certificates");
        }
    }

    void closeTransport(@Disposes WebPushTransport transport) {
        transport.close();
    }

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * pushcore's metrics as EMF in the Lambda log ({@link EmfMeterRegistry}); writes nothing where no namespace is set.
     * Added to Micrometer's global registry (Quarkus' root) by hand and typed as itself only, so an injected
     * {@code MeterRegistry} stays the root that feeds both registries.
     */
    @Produces
    @Singleton
    @Typed(EmfMeterRegistry.class)
    static EmfMeterRegistry emfMeterRegistry() {
        EmfMeterRegistry emf = EmfMeterRegistry.forNamespace(
                () -> ConfigProvider.getConfig().getOptionalValue("pushcore.metrics.namespace", String.class));
        Metrics.globalRegistry.add(emf);
        return emf;
    }
}
