package io.pushcore.event.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything event-function reads from configuration; each key also comes from its env var (EVENT_QUEUE_URL…). */
@ConfigMapping(prefix = "event")
public interface EventConfig {

    Queue queue();

    Security security();

    Body body();

    interface Queue {
        /** URL of the SQS event queue the aggregator drains. No default outside dev/test/local. */
        String url();

        /** SendMessageBatch calls per batch before the request fails with 503. */
        @WithDefault("2")
        int attempts();

        @WithDefault("100ms")
        Duration retryBackoff();

        /**
         * The longest one round of SendMessageBatch calls may take, retries included (each call's SDK api-call
         * timeout is cut to what is left). A request waits at most for the round in flight and its own: 2 × 3 s,
         * within the function's 10 s Lambda timeout.
         */
        @WithDefault("3s")
        Duration timeout();
    }

    /** No default outside dev/test/local. */
    interface Security {
        /**
         * The message-id key ring ({@code id:base64,...}): the same ring as send-function's, or a superset of it (a
         * new key is added here before send-function mints with it). Ids naming a key outside it are refused.
         */
        Optional<String> messageIdKeys();

        /** Which key of the ring is active; only send-function mints, so it changes nothing here but the log. */
        Optional<Integer> messageIdKeysActive();

        /** One message-id key, as before rings: key 0. Set this or {@link #messageIdKeys()}. */
        Optional<String> messageIdKey();
    }

    interface Body {
        /** Largest accepted request body; an SDK event is a few hundred bytes. */
        @WithDefault("4096")
        int maxBytes();
    }
}
