package io.pushcore.metrics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.CountingMode;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * pushcore's metrics the Lambda way: a Micrometer registry whose {@link #flush()} turns what was counted and timed
 * since the last flush into CloudWatch Embedded Metric Format (EMF) documents, one JSON line each, which the function
 * writes to its log at the end of every invocation; CloudWatch Logs extracts the metrics from there, with no API call
 * and nothing left behind when Lambda freezes the environment.
 * <p>
 * The contract (what the template's dashboard and alarms read):
 * <ul>
 * <li>only meters named {@code pushcore.*} are kept (JVM and HTTP server meters stay in Prometheus, locally);</li>
 * <li>namespace: the one given (the template sets the stack name); metric name: the Micrometer name;</li>
 * <li>a counter is emitted as its increase since the last flush (unit {@code Count}), only when it increased;</li>
 * <li>a timer is emitted as the durations recorded since the last flush (unit {@code Milliseconds}), as EMF value
 * arrays of at most {@value #VALUES_PER_DOCUMENT}, so CloudWatch computes exact percentiles across invocations; past
 * {@value #SAMPLES_PER_FLUSH} recordings in one flush a uniform sample of that many is kept (bounded memory);</li>
 * <li>dimensions: the meter's tags, and each metric also without dimensions (for alarms, which cannot search).</li>
 * </ul>
 */
public final class EmfMeterRegistry extends SimpleMeterRegistry {

    /** EMF's limit of values in one metric's array. */
    static final int VALUES_PER_DOCUMENT = 100;
    /** Durations a timer keeps between two flushes; more are sampled down to this many. */
    static final int SAMPLES_PER_FLUSH = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SimpleConfig CUMULATIVE = new SimpleConfig() {
        @Override
        public String get(String key) {
            return null;
        }

        @Override
        public CountingMode mode() {
            return CountingMode.CUMULATIVE;
        }
    };

    private final Supplier<Optional<String>> namespace;
    private final Map<Meter.Id, Double> flushedCounts = new HashMap<>();

    public EmfMeterRegistry(String namespace, Clock clock) {
        this(() -> Optional.of(namespace), clock);
    }

    private EmfMeterRegistry(Supplier<Optional<String>> namespace, Clock clock) {
        super(CUMULATIVE, clock);
        this.namespace = new Supplier<>() {
            private volatile Optional<String> resolved;

            @Override
            public Optional<String> get() {
                Optional<String> value = resolved;
                return value != null ? value : (resolved = namespace.get());
            }
        };
        // pushcore meters are kept even without a namespace: in Micrometer's composite the first registry answers
        // reads (counter.count()), and a denied meter would answer 0 there.
        config().meterFilter(MeterFilter.denyUnless(id -> id.getName().startsWith("pushcore.")));
    }

    /**
     * The registry a function adds to Micrometer's: writing EMF under the namespace {@code namespace} supplies (the
     * template sets {@code PUSHCORE_METRICS_NAMESPACE}, read as {@code pushcore.metrics.namespace}), or, without one
     * (the local system, dev mode, tests), a registry whose flush only forgets what was recorded and writes nothing.
     * The supplier is asked once, at the first flush, so it may read runtime configuration even if Quarkus creates
     * the registry before that configuration exists.
     */
    public static EmfMeterRegistry forNamespace(Supplier<Optional<String>> namespace) {
        return new EmfMeterRegistry(namespace, Clock.SYSTEM);
    }

    /** Writes {@link #flush()}'s lines to {@code out} (the Lambda log, where CloudWatch reads EMF), one per line. */
    public void writeTo(PrintStream out) {
        List<String> lines = flush();
        if (!lines.isEmpty()) {
            out.print(String.join("\n", lines) + "\n");
            out.flush();
        }
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig distributionStatisticConfig,
            PauseDetector pauseDetector) {
        return new SampledTimer(id, clock, distributionStatisticConfig, pauseDetector, getBaseTimeUnit());
    }

    /**
     * The EMF documents for everything counted and timed since the last call, one JSON line each; empty when nothing
     * was. Concurrent invocations may flush at once: each increase and each duration is in exactly one call's lines.
     */
    public synchronized List<String> flush() {
        Map<List<Tag>, List<Metric>> byTags = new LinkedHashMap<>();
        for (Meter meter : getMeters()) {
            Metric metric = switch (meter) {
                case Counter counter -> increase(counter);
                case SampledTimer timer -> durations(timer);
                default -> null;
            };
            if (metric != null) {
                byTags.computeIfAbsent(meter.getId().getTags(), t -> new ArrayList<>()).add(metric);
            }
        }
        if (namespace.get().isEmpty()) {
            return List.of();
        }
        long timestamp = clock.wallTime();
        List<String> lines = new ArrayList<>();
        byTags.forEach((tags, metrics) -> {
            int documents = metrics.stream().mapToInt(Metric::documents).max().orElse(0);
            for (int document = 0; document < documents; document++) {
                lines.add(document(timestamp, tags, metrics, document));
            }
        });
        return lines;
    }

    private Metric increase(Counter counter) {
        double count = counter.count();
        Double before = flushedCounts.put(counter.getId(), count);
        double increase = count - (before == null ? 0 : before);
        return increase > 0 ? new Metric(counter.getId().getName(), "Count", List.of(increase), false) : null;
    }

    private static Metric durations(SampledTimer timer) {
        List<Double> millis = timer.drain();
        return millis.isEmpty() ? null : new Metric(timer.getId().getName(), "Milliseconds", millis, true);
    }

    private String document(long timestamp, List<Tag> tags, List<Metric> metrics, int document) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode directive = root.putObject("_aws").put("Timestamp", timestamp).putArray("CloudWatchMetrics")
                .addObject().put("Namespace", namespace.get().orElseThrow());
        ArrayNode dimensionSets = directive.putArray("Dimensions");
        ArrayNode keys = dimensionSets.addArray();
        Map<String, String> values = new TreeMap<>();
        tags.forEach(tag -> values.put(tag.getKey(), tag.getValue()));
        values.forEach((key, value) -> {
            keys.add(key);
            root.put(key, value);
        });
        if (!values.isEmpty()) {
            dimensionSets.addArray();
        }
        ArrayNode definitions = directive.putArray("Metrics");
        for (Metric metric : metrics) {
            List<Double> chunk = metric.chunk(document);
            if (chunk.isEmpty()) {
                continue;
            }
            definitions.addObject().put("Name", metric.name()).put("Unit", metric.unit());
            if (metric.array()) {
                ArrayNode array = root.putArray(metric.name());
                chunk.forEach(array::add);
            } else {
                root.put(metric.name(), chunk.getFirst());
            }
        }
        return root.toString();
    }

    private record Metric(String name, String unit, List<Double> values, boolean array) {

        int documents() {
            return (values.size() + VALUES_PER_DOCUMENT - 1) / VALUES_PER_DOCUMENT;
        }

        List<Double> chunk(int document) {
            int from = document * VALUES_PER_DOCUMENT;
            return from >= values.size() ? List.of()
                    : values.subList(from, Math.min(values.size(), from + VALUES_PER_DOCUMENT));
        }
    }

    /** A cumulative timer that also keeps the durations recorded since the last flush (a uniform sample of them). */
    private static final class SampledTimer extends CumulativeTimer {

        private double[] samples = new double[16];
        private int kept;
        private long seen;

        SampledTimer(Id id, Clock clock, DistributionStatisticConfig config, PauseDetector pauseDetector,
                TimeUnit baseTimeUnit) {
            super(id, clock, config, pauseDetector, baseTimeUnit, false);
        }

        @Override
        protected void recordNonNegative(long amount, TimeUnit unit) {
            super.recordNonNegative(amount, unit);
            double millis = unit.toNanos(amount) / 1e6;
            synchronized (this) {
                seen++;
                if (kept < SAMPLES_PER_FLUSH) {
                    if (kept == samples.length) {
                        samples = java.util.Arrays.copyOf(samples, Math.min(SAMPLES_PER_FLUSH, kept * 2));
                    }
                    samples[kept++] = millis;
                } else {
                    // Algorithm R: every recording since the last flush is kept with the same probability.
                    long slot = ThreadLocalRandom.current().nextLong(seen);
                    if (slot < SAMPLES_PER_FLUSH) {
                        samples[(int) slot] = millis;
                    }
                }
            }
        }

        synchronized List<Double> drain() {
            List<Double> drained = new ArrayList<>(kept);
            for (int i = 0; i < kept; i++) {
                drained.add(samples[i]);
            }
            kept = 0;
            seen = 0;
            return drained;
        }
    }
}
