package io.pushcore.aggregator.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Everything aggregator-function reads from configuration; each key also comes from its env var
 * (AGGREGATOR_QUEUE_URL, AGGREGATOR_STATE_BUCKET…).
 */
@ConfigMapping(prefix = "aggregator")
public interface AggregatorConfig {

    Queue queue();

    /** SQS URL of the dead-letter queue for packages that gave up; default: the queue URL with {@code -dlq}. */
    Optional<String> deadLetterQueueUrl();

    State state();

    Security security();

    Flush flush();

    Run run();

    Webhook webhook();

    Retry retry();

    Network network();

    Routes routes();

    Schedule schedule();

    interface Queue {
        /** URL of the SQS event queue. No default outside dev/test/local. */
        String url();

        /** How long a received message stays hidden while a run holds it; longer than a run. */
        @WithDefault("120s")
        Duration visibilityTimeout();

        /** Concurrent ReceiveMessage loops while draining (each returns at most 10 messages). */
        @WithDefault("8")
        int receivers();
    }

    interface State {
        /** S3 bucket holding {@code routes/} (shared with send-function). */
        String bucket();
    }

    interface Security {
        /**
         * The webhook key ring ({@code id:base64,...} of 32-byte keys) that opens the callbacks send-function sealed:
         * the same ring as send-function's {@code send.security.webhook-keys}, or a superset of it (a new key is
         * added here before send-function seals with it). Never the credential keys.
         */
        String webhookKeys();

        /** Which key of the ring is active; the aggregator only opens, so it changes nothing here but the log. */
        Optional<Integer> webhookKeysActive();
    }

    interface Flush {
        /** A package is sent when it holds this many events... */
        @WithDefault("1000")
        int maxEvents();

        /** ...or its oldest event has waited this long since it was first enqueued. */
        @WithDefault("60s")
        Duration maxAge();

        /** Largest package body; keeps a failed package small enough to wait on SQS as one message. */
        @WithDefault("240000")
        int maxBytes();
    }

    interface Run {
        /** Longest a run drains and delivers; the Lambda's remaining time shortens it further. */
        @WithDefault("40s")
        Duration timeBudget();

        /** Events one run holds in memory at most; the rest waits for the next run. */
        @WithDefault("300000")
        int maxEvents();

        /**
         * Bytes of queue message bodies one run holds at most (decoded, the events take about three times as much
         * heap); the rest waits for the next run. The README's aggregator section adds up the worst case.
         */
        @WithDefault("67108864")
        long maxBytes();

        /**
         * A delivery attempt starts only while at least its timeout plus this margin is left of the run, so every
         * attempt has ended, and every package not delivered is back on the queue, before the run's deadline.
         */
        @WithDefault("2s")
        Duration margin();
    }

    interface Webhook {
        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * One delivery attempt (connect, request, status, headers and body) takes at most this long; then it is
         * cancelled and counts as failed, unless the webhook had already answered its status.
         */
        @WithDefault("10s")
        Duration timeout();

        /** Deliveries in flight at once to one bucket's webhook. */
        @WithDefault("4")
        int perWebhookConcurrency();

        /** Deliveries in flight at once in all. */
        @WithDefault("64")
        int concurrency();
    }

    interface Retry {
        @WithDefault("5s")
        Duration initialBackoff();

        /** Longest wait between attempts; a webhook's Retry-After is clamped to it. */
        @WithDefault("1h")
        Duration maxBackoff();

        /** After this long since the first attempt, a failing package goes to the dead-letter queue. */
        @WithDefault("24h")
        Duration giveUpAfter();
    }

    interface Network {
        /** Allow webhooks on loopback/private addresses and plain http (dev, test and local only). */
        @WithDefault("false")
        boolean allowPrivate();
    }

    interface Routes {
        @WithDefault("5m")
        Duration cacheTtl();

        /** Bytes the cached routes take at most, whatever their callbacks hold (a fifth for context routes). */
        @WithDefault("33554432")
        long cacheBytes();
    }

    interface Schedule {
        /** Runs the in-process schedule ({@code quarkus:dev}); the Lambda is triggered by EventBridge instead. */
        @WithDefault("false")
        boolean enabled();

        /** Interval of the in-process schedule. */
        @WithDefault("10s")
        String every();
    }
}
