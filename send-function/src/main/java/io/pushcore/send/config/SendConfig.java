package io.pushcore.send.config;

import java.time.Duration;
import java.util.List;

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

    Network network();

    Cache cache();

    interface Auth {
        /** {@code tenant:sha256hex} of each accepted API key; keys themselves are never configured. */
        List<String> apiKeys();
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
        @WithDefault("24h")
        Duration defaultTtl();
    }

    interface Security {
        /** Base64 of the 32-byte AES-256-GCM key sealing credentials at rest. No default outside dev/test/local. */
        String credentialKey();

        /** Base64 of the (at least 32-byte) key of the message-id MAC. No default outside dev/test/local. */
        String messageIdKey();
    }

    interface Dispatch {
        /** Receivers in flight at once per function instance. */
        @WithDefault("128")
        int concurrency();

        /** How long one send request may spend, retries included; well under API Gateway's 29 s. */
        @WithDefault("20s")
        Duration timeBudget();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();
    }

    interface WebPush {
        /** VAPID {@code sub} when a credential has none: a mailto: or https URL. */
        String defaultSubject();

        @WithDefault("5s")
        Duration connectTimeout();

        /** One attempt may end this long after the time budget: budget + this must stay under API Gateway's 29 s. */
        @WithDefault("5s")
        Duration requestTimeout();
    }

    interface Network {
        /** Allow push endpoints and callback URLs on loopback/private addresses (dev and tests only). */
        @WithDefault("false")
        boolean allowPrivate();
    }

    interface Cache {
        /** Decrypted buckets (and their providers) kept in memory while the function is warm. */
        @WithDefault("1000")
        int maxBuckets();
    }
}
