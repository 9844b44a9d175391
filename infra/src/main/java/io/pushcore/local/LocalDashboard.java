package io.pushcore.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The CloudWatch dashboard's series that exist locally, at {@code /_local/} of the local API (served by the
 * {@link HttpApiGateway} itself, never routed to a function, never part of a Lambda). Every {@link #STEP} it scrapes
 * each running function process's Prometheus endpoint ({@code /q/metrics}) and reads the SQS stand-in's queue depths,
 * and keeps the last {@link #WINDOW}. {@code /_local/metrics} answers those samples as JSON
 * ({@code {stepSeconds, windowSeconds, times[], charts[{id, title, unit, summary, total, series[{name, values[],
 * total}]}]}}); {@code /_local/} is one self-contained page ({@code local-dashboard.html}) drawing them.
 *
 * <p>Counters become rates per second: per process, the increase since its previous scrape; a process seen for the
 * first time (a fresh start or a replacement after a timeout) counts from zero, so every count of every process is
 * shown once. Provider latency is the mean and the maximum per step: the functions' timers publish no histogram, so
 * the dashboard's p95 is not available from a scrape.
 */
public final class LocalDashboard implements AutoCloseable {

    public static final String PATH = "/_local";
    static final Duration STEP = Duration.ofSeconds(2);
    static final Duration WINDOW = Duration.ofMinutes(10);

    /** One function process to scrape: its name, its pid (a new pid is a new process) and its metrics URL. */
    public record Target(String name, long pid, URI metrics) {
    }

    private enum Kind {
        /** A counter's increase per second, summed over processes. */
        RATE,
        /** A value as it is now (queue depths). */
        GAUGE,
        /** A timer's mean over the step, in ms (from its {@code _sum} and {@code _count}). */
        MEAN_MS,
        /** A timer's maximum, in ms (Micrometer's {@code _max}, over its recent window). */
        MAX_MS
    }

    /** A series source: the Prometheus metric, the labels that name a series, and a prefix for the series' name. */
    private record Source(Kind kind, String metric, List<String> labels, String prefix) {
    }

    private record Chart(String id, String title, String unit, List<Source> sources) {
    }

    /** The dashboard's widgets (README "Dashboard and alarms") that exist locally, in the template's order. */
    private static final List<Chart> CHARTS = List.of(
            new Chart("pushes", "Pushes by provider and outcome", "per second",
                    List.of(new Source(Kind.RATE, "pushcore_pushes_total", List.of("provider", "outcome"), ""))),
            new Chart("errors", "Push errors by code", "per second",
                    List.of(new Source(Kind.RATE, "pushcore_push_errors_total", List.of("code"), ""))),
            new Chart("latency", "Provider call latency (mean and max)", "ms",
                    List.of(new Source(Kind.MEAN_MS, "pushcore_provider_latency_seconds", List.of("provider"), "mean "),
                            new Source(Kind.MAX_MS, "pushcore_provider_latency_seconds", List.of("provider"), "max "))),
            new Chart("events", "Event intake", "per second",
                    List.of(new Source(Kind.RATE, "pushcore_events_received_total", List.of("kind", "outcome"),
                            "client "),
                            new Source(Kind.RATE, "pushcore_events_enqueued_total", List.of("outcome"), "send "))),
            new Chart("webhooks", "Webhook deliveries by outcome", "per second",
                    List.of(new Source(Kind.RATE, "pushcore_webhook_deliveries_total", List.of("outcome"), ""))),
            new Chart("deadletter", "Dead-lettered events by reason", "per second",
                    List.of(new Source(Kind.RATE, "pushcore_aggregator_dead_lettered_total", List.of("reason"), ""))),
            new Chart("queue", "Event queue and dead-letter queue depth", "messages",
                    List.of(new Source(Kind.GAUGE, "queue", List.of(), ""))),
            new Chart("quota", "Quota refusals by use case", "per second",
                    List.of(new Source(Kind.RATE, "pushcore_quota_refusals_total", List.of("use_case"), ""))));

    /** {@code name{labels} value} of the Prometheus text format; comments and blank lines do not match. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample time: per chart, per series name, its value. */
    private record Tick(long epochMillis, Map<String, Map<String, Double>> charts) {
    }

    private final Supplier<List<Target>> targets;
    private final SqsClient sqs;
    private final Map<String, String> queueUrls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pushcore-local-dashboard");
        thread.setDaemon(true);
        return thread;
    });
    private final byte[] page;
    /** Each process's previous scrape (by name and pid), for the counters' increases. */
    private final Map<String, Map<String, Double>> previous = new HashMap<>(); // guarded by sampling
    private final Object sampling = new Object();
    private final Deque<Tick> ticks = new ArrayDeque<>(); // guarded by this

    /**
     * @param targets   the function processes running now, asked at every step
     * @param queueUrls the SQS stand-in's queues to show, by the name the chart gives them
     */
    public LocalDashboard(Supplier<List<Target>> targets, SqsClient sqs, Map<String, String> queueUrls) {
        this.targets = targets;
        this.sqs = sqs;
        this.queueUrls = Map.copyOf(queueUrls);
        try (InputStream in = LocalDashboard.class.getResourceAsStream("local-dashboard.html")) {
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sampler.scheduleWithFixedDelay(this::sampleQuietly, 0, STEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean handles(String rawPath) {
        return rawPath.equals(PATH) || rawPath.startsWith(PATH + "/");
    }

    /** The page at {@code /_local/}, the samples at {@code /_local/metrics}; GET and HEAD only. */
    HttpApiEvents.Response serve(String method, String rawPath) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return json(405, HttpApiEvents.JSON.createObjectNode().put("message", "method not allowed")
                    .set("errors", HttpApiEvents.JSON.createArrayNode().add("method: only GET reads the dashboard")));
        }
        return switch (rawPath) {
            case PATH, PATH + "/" -> new HttpApiEvents.Response(200, List.of(Map.entry("content-type",
                    "text/html; charset=utf-8"), Map.entry("cache-control", "no-store")), page);
            case PATH + "/metrics" -> json(200, samples());
            default -> json(404, HttpApiEvents.JSON.createObjectNode().put("message", "not found")
                    .set("errors", HttpApiEvents.JSON.createArrayNode().add("path: " + PATH + "/ serves the page and "
                            + PATH + "/metrics its data")));
        };
    }

    private static HttpApiEvents.Response json(int status, ObjectNode body) {
        try {
            return new HttpApiEvents.Response(status, List.of(Map.entry("content-type", "application/json"),
                    Map.entry("cache-control", "no-store")), HttpApiEvents.JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code /_local/metrics} answers; a series' total is its count over the window (rates) or its peak. */
    synchronized ObjectNode samples() {
        ObjectNode root = HttpApiEvents.JSON.createObjectNode();
        root.put("stepSeconds", STEP.toSeconds()).put("windowSeconds", WINDOW.toSeconds());
        ArrayNode times = root.putArray("times");
        ticks.forEach(t -> times.add(t.epochMillis()));
        ArrayNode charts = root.putArray("charts");
        for (Chart chart : CHARTS) {
            boolean rates = chart.sources().getFirst().kind() == Kind.RATE;
            ObjectNode node = charts.addObject().put("id", chart.id()).put("title", chart.title())
                    .put("unit", chart.unit()).put("summary", rates ? "count in the window" : "peak in the window");
            Set<String> names = new LinkedHashSet<>();
            ticks.forEach(t -> names.addAll(t.charts().getOrDefault(chart.id(), Map.of()).keySet()));
            double chartTotal = 0;
            ArrayNode series = node.putArray("series");
            for (String name : names) {
                ObjectNode one = series.addObject().put("name", name);
                ArrayNode values = one.putArray("values");
                double total = 0;
                for (Tick tick : ticks) {
                    Double value = tick.charts().getOrDefault(chart.id(), Map.of()).get(name);
                    if (value == null) {
                        values.addNull();
                        continue;
                    }
                    values.add(value);
                    total = rates ? total + value * STEP.toSeconds() : Math.max(total, value);
                }
                one.put("total", rates ? Math.round(total) : total);
                chartTotal = rates ? chartTotal + total : Math.max(chartTotal, total);
            }
            node.put("total", rates ? Math.round(chartTotal) : chartTotal);
        }
        return root;
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // a dashboard must not take the runner down; the next step tries again
        }
    }

    /** One step: scrape every process, read the queues, append a tick and drop those older than the window. */
    void sample() {
        synchronized (sampling) {
            sampleOnce();
        }
    }

    private void sampleOnce() {
        Map<String, Map<String, Double>> chartValues = new LinkedHashMap<>();
        Map<String, Map<String, Double>> scraped = new HashMap<>();
        for (Target target : targets.get()) {
            String key = target.name() + "/" + target.pid();
            Map<String, Double> now = scrape(target.metrics());
            if (now != null) {
                scraped.put(key, now);
            }
        }
        for (Chart chart : CHARTS) {
            Map<String, Double> values = new TreeMap<>();
            for (Source source : chart.sources()) {
                if (source.kind() == Kind.GAUGE) {
                    queueUrls.forEach((name, url) -> values.put(name, (double) depth(url)));
                    continue;
                }
                scraped.forEach((process, now) -> add(values, source, now, previous.get(process)));
            }
            chartValues.put(chart.id(), values);
        }
        previous.keySet().retainAll(targets.get().stream().map(t -> t.name() + "/" + t.pid()).toList());
        previous.putAll(scraped);
        long now = System.currentTimeMillis();
        synchronized (this) {
            ticks.addLast(new Tick(now, chartValues));
            while (!ticks.isEmpty() && ticks.getFirst().epochMillis() < now - WINDOW.toMillis()) {
                ticks.removeFirst();
            }
        }
    }

    /** Adds one process's part of {@code source}'s series to {@code values}. */
    private static void add(Map<String, Double> values, Source source, Map<String, Double> now,
            Map<String, Double> before) {
        Map<String, Double> before0 = before == null ? Map.of() : before;
        String suffix = switch (source.kind()) {
            case RATE -> "";
            case MEAN_MS -> "_count";
            case MAX_MS -> "_max";
            case GAUGE -> throw new IllegalArgumentException("gauges are not scraped");
        };
        String prefix = source.metric() + suffix + "{";
        now.forEach((series, value) -> {
            if (!series.startsWith(prefix)) {
                return;
            }
            String name = source.prefix() + seriesName(series, source.labels());
            switch (source.kind()) {
                case RATE -> values.merge(name, increase(value, before0.get(series)) / STEP.toSeconds(), Double::sum);
                case MAX_MS -> values.merge(name, value * 1000, Math::max);
                case MEAN_MS -> {
                    String sum = source.metric() + "_sum" + series.substring(prefix.length() - 1);
                    double count = increase(value, before0.get(series));
                    double seconds = increase(now.getOrDefault(sum, 0.0), before0.get(sum));
                    if (count > 0) {
                        values.merge(name, seconds * 1000 / count, Math::max);
                    } else {
                        values.putIfAbsent(name, 0.0);
                    }
                }
                case GAUGE -> {
                }
            }
        });
    }

    /** A counter's increase; a counter lower than before belongs to a restarted meter, which counted from zero. */
    private static double increase(double now, Double before) {
        return before == null || now < before ? now : now - before;
    }

    /** The values of {@code labels} in {@code series} ({@code metric{a="x",b="y",}}), joined by spaces. */
    private static String seriesName(String series, List<String> labels) {
        Map<String, String> found = new HashMap<>();
        Matcher matcher = LABEL.matcher(series.substring(series.indexOf('{')));
        while (matcher.find()) {
            found.put(matcher.group(1), matcher.group(2));
        }
        List<String> parts = new ArrayList<>();
        labels.forEach(label -> parts.add(found.getOrDefault(label, "-")));
        return String.join(" ", parts);
    }

    /** {@code pushcore_*} samples of one process by {@code name{labels}}, or null when it does not answer (yet). */
    private Map<String, Double> scrape(URI metrics) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                return null;
            }
            return parse(response.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The {@code pushcore_*} samples of a Prometheus text exposition, keyed {@code name{labels}}. */
    static Map<String, Double> parse(String exposition) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith("pushcore_")) {
                continue;
            }
            Matcher matcher = SAMPLE.matcher(line);
            if (matcher.find()) {
                try {
                    samples.put(matcher.group(1) + "{" + (matcher.group(2) == null ? "" : matcher.group(2)) + "}",
                            Double.parseDouble(matcher.group(3)));
                } catch (NumberFormatException e) {
                    // NaN and the like are parsed by Double; anything else is not a sample we draw
                }
            }
        }
        return samples;
    }

    /** Messages in the queue: visible, in flight and delayed (what CloudWatch's depth metrics add up). */
    private int depth(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
