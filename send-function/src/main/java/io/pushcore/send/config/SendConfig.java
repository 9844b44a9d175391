package io.pushcore.send.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything send-function reads from configuration; each key also comes from its env var (SEND_STATE_BUCKET…). */
@ConfigMapping(prefix = "send")
public interface SendConfig {

    Auth auth();

    State state();

    BucketSettings bucket();

    ContextSettings context();

    Security security();

    Dispatch dispatch();

    WebPush webpush();

    Providers providers();

    Network network();

    Cache cache();

    Events events();

    Hello hello();

    /** The contact links {@code GET /} answers in CORE's {@code HelloDto}; each is left out when unset. */
    interface Hello {
        Optional<String> email();

        Optional<String> github();

        Optional<String> discord();
    }

    Api api();

    interface Api {
        /**
         * Serve Quarkus' {@code /q/} endpoints (health, metrics, OpenAPI). Off in production: on Lambda nothing but
         * the API itself is answered, whatever routes reach the function; on in dev, test and local runs.
         */
        @WithDefault("false")
        boolean exposeInternal();
    }

    interface Auth {
        /**
         * {@code tenant:sha256hex} of each API key accepted besides the tokens issued through the admin API (for
         * bootstrapping); keys themselves are never configured.
         */
        List<String> apiKeys();

        /** SHA-256 hex of the admin API's key ({@code /v1/admin/...}); absent: the admin API answers 403. */
        Optional<String> adminKey();

        /** How long a warm instance trusts what it read about an issued token: the bound on revocation. */
        @WithDefault("30s")
        Duration tokenCacheTtl();
    }

    interface State {
        /** S3 bucket holding buckets/ and contexts/. */
        String bucket();
    }

    interface BucketSettings {
        @WithDefault("24h")
        Duration lifetime();
    }

    interface ContextSettings {
        /** Each push's time to live from its send when a context gives no {@code ttl}. */
        @WithDefault("24h")
        Duration defaultTtl();
    }

    /**
     * Key rings ({@code io.pushcore.crypto.KeyRing}): {@code id:base64,...}, ids 0 to 15; the active key (the last
     * written unless {@code *-keys-active} names one) seals and mints, every key opens and verifies. No defaults
     * outside dev/test/local.
     */
    interface Security {
        /** The credential ring: 32-byte AES-256-GCM keys sealing provider credentials at rest. */
        Optional<String> credentialKeys();

        Optional<Integer> credentialKeysActive();

        /** One credential key, as before rings: key 0. Set this or {@link #credentialKeys()}. */
        Optional<String> credentialKey();

        /** The message-id ring: keys (at least 32 bytes) of the message-id MAC; event-function verifies with it. */
        Optional<String> messageIdKeys();

        Optional<Integer> messageIdKeysActive();

        /** One message-id key, as before rings: key 0. Set this or {@link #messageIdKeys()}. */
        Optional<String> messageIdKey();

        /** The webhook ring: 32-byte keys sealing webhook callbacks, the only keys the aggregator holds. */
        String webhookKeys();

        Optional<Integer> webhookKeysActive();
    }

    interface Dispatch {
        /**
         * Web push receivers in flight at once per function instance (each holds a connection). APNs notifications
         * are bounded per credential instead ({@code send.providers.apns.max-in-flight}); FCM by its bulkhead.
         */
        @WithDefault("128")
        int concurrency();

        /**
         * How long one send request may spend from its arrival (image downloads, retries and attempts in flight
         * included); with the event enqueue after it, well under the Lambda's 25 s and API Gateway's 29 s.
         */
        @WithDefault("20s")
        Duration timeBudget();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        CircuitBreaker circuitBreaker();

        Bulkhead bulkhead();
    }

    /** Per APNs/FCM/HMS credential: stop sending with a credential the provider refused, or that keeps failing. */
    interface CircuitBreaker {
        /** How long a tripped credential fails fast before one trial send is let through. */
        @WithDefault("30s")
        Duration delay();

        /** Consecutive transient failures (5xx, 429, timeouts) of one credential that trip its breaker. */
        @WithDefault("20")
        int failures();
    }

    /** Concurrent provider calls per provider and function instance; more wait in line. */
    interface Bulkhead {
        @WithDefault("128")
        int webpush();

        @WithDefault("128")
        int apns();

        /** FCM {@code sendEach} calls (up to 500 messages each). */
        @WithDefault("4")
        int fcm();

        /** Push Kit {@code sendEach} calls (one request per message inside, 100 at once per credential). */
        @WithDefault("4")
        int hms();
    }

    interface Providers {
        Apns apns();

        Fcm fcm();

        Hms hms();
    }

    interface Apns {
        /** APNs host; absent means the real one for each credential (production or sandbox). */
        Optional<String> host();

        @WithDefault("443")
        int port();

        /** PEM certificates to trust for the APNs server instead of the JDK's trust store (tests, local runs). */
        Optional<String> trustedCertificates();

        /** HTTP/2 connections per credential. */
        @WithDefault("4")
        int connections();

        /**
         * Notifications in flight per credential, multiplexed over its connections (APNs allows up to 1000
         * concurrent streams per connection): enough for a whole 1000-receiver request in one round trip.
         */
        @WithDefault("1000")
        int maxInFlight();

        /** Timeout of one attempt; the request's time budget cuts an attempt short when it runs out first. */
        @WithDefault("5s")
        Duration requestTimeout();
    }

    interface Fcm {
        /** FCM base URL; absent means {@code https://fcm.googleapis.com} over HTTP/2. */
        Optional<URI> baseUrl();

        /** Connect and read timeout of one attempt (see {@code send.providers.apns.request-timeout}). */
        @WithDefault("5s")
        Duration requestTimeout();
    }

    /** Huawei Push Kit; each {@code hms} credential names its own URLs (Huawei's by default). */
    interface Hms {
        /**
         * Connect timeout and hard bound of one HTTP exchange with Push Kit or its OAuth endpoint; the request's
         * time budget cuts an attempt short when it runs out first.
         */
        @WithDefault("5s")
        Duration requestTimeout();
    }

    interface WebPush {
        /** VAPID {@code sub} when a credential has none: a mailto: or https URL. */
        String defaultSubject();

        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * Hard bound of one attempt, from asking for a connection to the response body's last byte; the request's time
         * budget cuts an attempt short when it runs out first.
         */
        @WithDefault("5s")
        Duration requestTimeout();

        /** HTTP/1.1 connections to one push-service origin (HTTP/2 multiplexes over two). */
        @WithDefault("64")
        int connectionsPerOrigin();

        /** Web push requests in flight, and connections open, per function instance across all origins. */
        @WithDefault("256")
        int maxConnections();

        /** An unused connection closes after this. */
        @WithDefault("30s")
        Duration idleTimeout();

        /** The most of a push service's response body read; a longer body fails the attempt. */
        @WithDefault("4096")
        int maxResponseBytes();
    }

    interface Network {
        /** Allow push endpoints and callback URLs on loopback/private addresses (dev and tests only). */
        @WithDefault("false")
        boolean allowPrivate();
    }

    /** The event queue the aggregator drains, and how long routing records are kept. */
    interface Events {
        /** URL of the SQS event queue (SEND_EVENTS_QUEUE_URL). No default outside dev/test/local. */
        String queueUrl();

        /** SendMessageBatch calls per batch before the send request answers 503. */
        @WithDefault("3")
        int attempts();

        @WithDefault("100ms")
        Duration retryBackoff();

        /**
         * The longest one request's enqueue may take, every SendMessageBatch call and retry included (each call's
         * SDK api-call timeout is cut to what is left). The send's Lambda timeout (25 s) covers the time budget
         * (20 s), the senders' 250 ms grace at its deadline and this (3 s), leaving 1.75 s to read the request and
         * write the answer.
         */
        @WithDefault("3s")
        Duration timeout();

        /**
         * Routing records are used this long after they are written (a bucket's or context's creation), as the
         * state bucket's S3 lifecycle keeps them; longer than {@code send.bucket.lifetime}, so they outlive their
         * bucket and context by the difference.
         */
        @WithDefault("7d")
        Duration retention();
    }

    interface Cache {
        /** Decrypted buckets (and their providers) kept in memory while the function is warm. */
        @WithDefault("1000")
        int maxBuckets();
    }
}
