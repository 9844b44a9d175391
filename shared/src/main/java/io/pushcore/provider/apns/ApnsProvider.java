package io.pushcore.provider.apns;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.pushcore.model.Address;
import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.model.WebPushSubscription;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.PushProvider;

/**
 * Sends to APNs with one credential through one long-lived pushy {@link ApnsClient} (several HTTP/2
 * connections), with a semaphore bounding the notifications in flight.
 *
 * <p>
 * <b>Topic.</b> An APNs token does not say whether it belongs to an iOS app or to legacy Safari, so the topic is
 * chosen by {@link ApnsPayload.Target}: {@code IOS} uses {@code appBundleId}, {@code SAFARI} uses
 * {@code websitePushId}. {@link #send(Push, Address)} has no hint and uses {@code appBundleId} when the credential
 * has one, else {@code websitePushId}; callers that know the receiver's platform (CORE's JS SDK sends
 * {@code type: "apns/safari"} or {@code "apns/ios"} and the {@code websitePushId} with each receiver) pass it to
 * {@link #send(Push, DeviceToken, ApnsPayload.Target)}.
 *
 * <p>
 * Data pushes go out as push type {@code alert}, priority 10; silent pushes as {@code background}, priority 5
 * (raw pushes as {@link ApnsPayload#isAlert} says, with their {@code apns-collapse-id}); all expire at
 * {@link Push#expiresAt()} and carry the message id as {@code apns-id}.
 */
public final class ApnsProvider implements PushProvider {

    public static final String PRODUCTION_HOST = ApnsClientBuilder.PRODUCTION_APNS_HOST;
    public static final String SANDBOX_HOST = ApnsClientBuilder.DEVELOPMENT_APNS_HOST;

    private static final Pattern TOKEN = Pattern.compile("(?:[0-9a-fA-F]{2}){32,100}");

    private final ApnsCredentials credentials;
    private final Options options;
    private final ApnsClient client;
    private final Semaphore inFlight;

    /**
     * How to reach APNs. {@code host} null means the real host for the credential's environment
     * ({@link #PRODUCTION_HOST} or {@link #SANDBOX_HOST}); {@code trustedServerCertificates} empty means the JDK's
     * trust store; {@code eventLoopGroup} null gives the client its own (pass one shared group when holding many
     * providers: the caller then owns and shuts it down).
     */
    public record Options(String host, int port, int concurrentConnections, int maxInFlight, Duration timeout,
            List<X509Certificate> trustedServerCertificates, EventLoopGroup eventLoopGroup) {

        /** Real APNs, 4 connections, 1000 notifications in flight, 10 s per answer. */
        public static final Options DEFAULT = new Options(null, ApnsClientBuilder.DEFAULT_APNS_PORT, 4, 1000,
                Duration.ofSeconds(10), List.of(), null);

        public Options {
            if (concurrentConnections < 1 || maxInFlight < 1) {
                throw new IllegalArgumentException("concurrentConnections and maxInFlight must be positive");
            }
            Objects.requireNonNull(timeout, "timeout");
            trustedServerCertificates = trustedServerCertificates == null ? List.of()
                    : List.copyOf(trustedServerCertificates);
        }

        public Options withServer(String host, int port) {
            return new Options(host, port, concurrentConnections, maxInFlight, timeout, trustedServerCertificates,
                    eventLoopGroup);
        }

        public Options withTrustedServerCertificates(X509Certificate... certificates) {
            return new Options(host, port, concurrentConnections, maxInFlight, timeout, List.of(certificates),
                    eventLoopGroup);
        }

        public Options withEventLoopGroup(EventLoopGroup group) {
            return new Options(host, port, concurrentConnections, maxInFlight, timeout, trustedServerCertificates,
                    group);
        }

        public Options withConcurrency(int connections, int inFlight) {
            return new Options(host, port, connections, inFlight, timeout, trustedServerCertificates,
                    eventLoopGroup);
        }

        public Options withTimeout(Duration answerTimeout) {
            return new Options(host, port, concurrentConnections, maxInFlight, answerTimeout,
                    trustedServerCertificates, eventLoopGroup);
        }
    }

    public ApnsProvider(ApnsCredentials credentials) {
        this(credentials, Options.DEFAULT);
    }

    /** Builds the pushy client; it connects lazily on the first send. */
    public ApnsProvider(ApnsCredentials credentials, Options options) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.options = Objects.requireNonNull(options, "options");
        this.inFlight = new Semaphore(options.maxInFlight());
        String host = options.host() != null ? options.host()
                : credentials.production() ? PRODUCTION_HOST : SANDBOX_HOST;
        ApnsClientBuilder builder = new ApnsClientBuilder()
                .setApnsServer(host, options.port())
                .setConcurrentConnections(options.concurrentConnections())
                .setConnectionTimeout(options.timeout());
        try {
            switch (credentials) {
                case ApnsCredentials.Token t -> builder.setSigningKey(new ApnsSigningKey(t.keyId(), t.teamId(), t.key()));
                case ApnsCredentials.Certificate c -> builder.setClientCredentials(c.certificate(), c.key(), null);
            }
            if (!options.trustedServerCertificates().isEmpty()) {
                builder.setTrustedServerCertificateChain(
                        options.trustedServerCertificates().toArray(X509Certificate[]::new));
            }
            if (options.eventLoopGroup() != null) {
                builder.setEventLoopGroup(options.eventLoopGroup());
            }
            this.client = builder.build();
        } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalStateException("cannot set up the APNs client for " + credentials, e);
        }
    }

    /** An event loop group to share between providers (one thread per core is plenty for APNs). */
    public static EventLoopGroup newEventLoopGroup(int threads) {
        return new NioEventLoopGroup(threads);
    }

    @Override
    public Delivery send(Push push, Address address) {
        return switch (address) {
            case DeviceToken token -> send(push, token, null);
            case WebPushSubscription s -> new Delivery.Rejected(ErrorCode.INVALID_TOKEN,
                    "an APNs credential needs a device token, not a web push subscription");
        };
    }

    /** Like {@link #send(Push, Address)}, with the receiver's platform; {@code target} null picks as described above. */
    public Delivery send(Push push, DeviceToken token, ApnsPayload.Target target) {
        CompletableFuture<Delivery> future = sendAsync(push, token, target);
        try {
            return future.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Delivery.Deferred("APNs did not answer within " + options.timeout(), null);
        } catch (ExecutionException e) {
            return ApnsRejections.toDelivery(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Deferred("interrupted while waiting for APNs", null);
        }
    }

    /**
     * Starts one send and completes with its outcome (never exceptionally). Blocks only while the in-flight bound
     * is reached, for at most the answer timeout.
     */
    public CompletableFuture<Delivery> sendAsync(Push push, DeviceToken token, ApnsPayload.Target target) {
        SimpleApnsPushNotification notification;
        try {
            notification = notification(push, token, target);
        } catch (Refused r) {
            return CompletableFuture.completedFuture(r.delivery);
        }
        try {
            if (!inFlight.tryAcquire(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return CompletableFuture.completedFuture(new Delivery.Deferred(
                        "more than " + options.maxInFlight() + " APNs sends in flight", null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(new Delivery.Deferred("interrupted before sending", null));
        }
        try {
            return client.sendNotification(notification).handle((response, failure) -> {
                inFlight.release();
                return failure != null ? ApnsRejections.toDelivery(failure) : ApnsRejections.toDelivery(response);
            });
        } catch (RuntimeException e) {
            inFlight.release();
            return CompletableFuture.completedFuture(ApnsRejections.toDelivery(e));
        }
    }

    private SimpleApnsPushNotification notification(Push push, DeviceToken token, ApnsPayload.Target target)
            throws Refused {
        if (!TOKEN.matcher(token.token()).matches()) {
            throw new Refused(ErrorCode.INVALID_TOKEN, "an APNs device token is 64 or more hex characters");
        }
        ApnsPayload.Target t = target != null ? target
                : credentials.appBundleId() != null ? ApnsPayload.Target.IOS : ApnsPayload.Target.SAFARI;
        String topic = t == ApnsPayload.Target.IOS ? credentials.appBundleId() : credentials.websitePushId();
        if (topic == null) {
            throw new Refused(ErrorCode.INVALID_TOKEN, t == ApnsPayload.Target.IOS
                    ? "this APNs credential has no appBundleId for iOS tokens"
                    : "this APNs credential has no websitePushId for Safari tokens");
        }
        boolean alert = ApnsPayload.isAlert(push, t);
        if (!alert && t == ApnsPayload.Target.SAFARI) {
            throw new Refused(ErrorCode.PROVIDER_REJECTED, "legacy Safari website push has no silent notifications");
        }
        String payload = ApnsPayload.of(push, t);
        int size = ApnsPayload.size(payload);
        if (size > ApnsPayload.MAX_BYTES) {
            throw new Refused(ErrorCode.PAYLOAD_TOO_LARGE,
                    "the APNs payload is " + size + " bytes; APNs accepts at most " + ApnsPayload.MAX_BYTES);
        }
        String collapseId = ApnsPayload.collapseId(push);
        return alert
                ? new SimpleApnsPushNotification(token.token(), topic, payload, push.expiresAt(),
                        DeliveryPriority.IMMEDIATE, PushType.ALERT, collapseId, push.messageId())
                : new SimpleApnsPushNotification(token.token(), topic, payload, push.expiresAt(),
                        DeliveryPriority.CONSERVE_POWER, PushType.BACKGROUND, collapseId, push.messageId());
    }

    /** How long one notification may wait for its answer ({@link Options#timeout()}). */
    public Duration answerTimeout() {
        return options.timeout();
    }

    public ApnsCredentials credentials() {
        return credentials;
    }

    /** Closes the connections gracefully, waiting at most the answer timeout. */
    @Override
    public void close() {
        try {
            client.close().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Connections that do not close in time are abandoned; nothing can be sent on them any more.
        }
    }

    private static final class Refused extends Exception {

        final Delivery delivery;

        Refused(ErrorCode code, String reason) {
            super(reason, null, false, false);
            this.delivery = new Delivery.Rejected(code, reason);
        }
    }
}
