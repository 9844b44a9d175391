package io.pushcore.aggregator.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.pushcore.aggregator.config.AggregatorConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * {@link AggregatorConfig} without Quarkus, for plain unit tests: the mapping's own defaults, the keys every
 * deployment sets, and the test's overrides (same keys as {@code application.properties}).
 */
public final class TestConfig {

    public static final String STATE = AggregatorAws.STATE;
    /** The webhook key ring of the test profile (key 0). */
    public static final String WEBHOOK_KEYS = "0:6GpjvXGTkCpib6s4O2/XVMd/QVZd0A101JSJrYdSupk=";

    private TestConfig() {
    }

    public static AggregatorConfig aggregator(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "aggregator.queue.url", "http://127.0.0.1:1/000000000000/pushcore-events",
                "aggregator.state.bucket", AggregatorAws.STATE,
                "aggregator.security.webhook-keys", WEBHOOK_KEYS,
                "aggregator.network.allow-private", "true"));
        values.putAll(overrides);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(AggregatorConfig.class)
                // "60s", "1h" as Quarkus reads durations (a plain converter, no Quarkus runtime)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
        return config.getConfigMapping(AggregatorConfig.class);
    }
}
