package io.pushcore.bench;

import java.io.BufferedReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.pushcore.crypto.MessageIds;
import io.pushcore.local.HttpApiEvents;
import io.pushcore.local.LambdaFunction;
import io.pushcore.local.LocalRunner;
import io.pushcore.local.Route;
import io.pushcore.local.ScheduleTrigger;
import io.pushcore.model.Event;
import io.pushcore.model.EventKind;
import io.pushcore.queue.QueueBatches;
import io.pushcore.testing.webpush.FakeWebPushServer;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Client events through the whole local path: HTTP → emulated API Gateway → event-function
 * ({@code -Dbench.instances} JVMs) → ElasticMQ → aggregator-function on its schedule → a webhook on 127.0.0.1 that
 * counts the events of each package. Message ids are minted with the local profile's message-id key (as
 * send-function would), so no push has to be sent first.
 *
 * <p>Intake is measured twice. Through the whole local API, each event costs three emulated HTTP exchanges (client to
 * gateway, runtime to Runtime API twice) on the same two cores as the function, which in AWS run on Lambda's fleet;
 * so event-function's own rate is measured by calling its handler directly ({@link HandlerLoad}) with the same API
 * Gateway events, into the same SQS stand-in, and checked at the same webhook.
 */
final class EventThroughput {

    /**
     * @param warmup client events posted (and awaited at the webhook) before the measured ones, to warm the JVMs
     * @param intakePerSecond client events answered 201 per second, {@code events} posted {@code concurrency} at a
     *        time
     * @param lastEventSeconds from the first client post to the last event at the webhook
     * @param backlogPerSecond events per second the aggregator delivered of {@code backlog} events already on the
     *        queue (put straight on SQS, as send-function writes them), from the invocation that starts the drain to
     *        the last of them at the webhook
     */
    record Result(int warmup, int events, int concurrency, int maxConcurrency, double intakePerSecond,
            double lastEventSeconds, long refused, long delivered, int packages, Handler handler, int backlog,
            double backlogPerSecond, double minBacklogPerSecond, double maxBacklogPerSecond, int backlogRounds,
            Stall stall) {
    }

    /**
     * (o): a healthy tenant's latency from the invocation that starts a run, with a full package (1000 events) of
     * its own already queued, to its first event at its webhook; alone, and with a stalled tenant's full package
     * queued too (its webhook accepts the connection and never answers, so each of its attempts takes the whole
     * {@code aggregator.webhook.timeout}). Medians of {@code rounds} runs each.
     *
     * @param schedulePeriodMillis the schedule's interval here (the target: the stall adds less than one)
     */
    record Stall(int rounds, double aloneMillis, double withStallMillis, double maxWithStallMillis,
            long schedulePeriodMillis, long duplicates) {
    }

    /**
     * event-function's handler called directly ({@link HandlerLoad}) in a process of its own, after {@code warmup}
     * calls: {@code events} by {@code threads} threads at once, in {@link #ROUNDS} equal rounds (the median and the
     * spread of their rates: this machine's noise moves a single round by ±15 %), then {@link #SERIAL_EVENTS} by one
     * thread.
     *
     * @param accepted calls answered 201, all phases
     * @param delivered of those, events that reached the webhook through SQS and the aggregator
     * @param timedOut calls {@link HandlerLoad} ended at the function timeout, all phases
     */
    record Handler(int warmup, int events, int threads, double perSecond, double minPerSecond, double maxPerSecond,
            double serialPerSecond, long accepted, long delivered, long timedOut) {
    }

    static final int ROUNDS = 3;

    /** Calls of the one-at-a-time phase: one invocation per environment, as on Lambda (default). */
    static final int SERIAL_EVENTS = 2_000;

    /** The local profile's message-id key (send-function's and event-function's application.properties). */
    private static final String LOCAL_MESSAGE_ID_KEY = "DreT+j5uAta5sPjkdra/SS3aglLrgwSuzXfQ3S2eq+0=";
    static final ObjectMapper JSON = new ObjectMapper();
    /** A Standard Webhooks key (whsec_ + base64 of 32 bytes), as bucket creation requires. */
    private static final String BENCH_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "pushcore-benchmark-webhook-key!!".getBytes(StandardCharsets.US_ASCII));

    static Result run(int warmup, int events, int concurrency, int maxConcurrency, int handlerWarmup,
            int handlerEvents, int backlog, int backlogRounds, int stallRounds, boolean intake) throws Exception {
        AtomicLong delivered = new AtomicLong();
        AtomicLong lastPackageNanos = new AtomicLong();
        AtomicLong packages = new AtomicLong();
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        webhook.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        webhook.createContext("/hook", exchange -> {
            try (exchange) {
                int count = JSON.readTree(exchange.getRequestBody().readAllBytes()).path("messages").size();
                long now = System.nanoTime();
                lastPackageNanos.set(now);
                packages.incrementAndGet();
                delivered.addAndGet(count);
                exchange.sendResponseHeaders(200, -1);
            }
        });
        webhook.start();
        StallLatency stallRow = new StallLatency();
        webhook.createContext("/healthy", stallRow::healthy);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Duration schedulePeriod = Duration.ofSeconds(1);
        LocalRunner.Settings settings = LocalRunner.Settings.defaults(Path.of("..").toAbsolutePath().normalize())
                .withApiPort(0).withScheduleInterval(schedulePeriod)
                .withInstances(Integer.getInteger("bench.instances", 1));
        settings = new LocalRunner.Settings(settings.root(), settings.apiPort(), settings.scheduleInterval(),
                settings.instances(), List.of("-Xmx1g"), Map.of(), settings.startTimeout(), quiet)
                // every function JVM, e.g. -XX:StartFlightRecording=filename=/tmp/fn-%p.jfr (%p: its pid)
                .withEnvironment(Map.of("JAVA_TOOL_OPTIONS",
                        System.getenv().getOrDefault("BENCH_FUNCTION_JAVA_OPTS", "")))
                .withMaxConcurrency(LambdaFunction.EVENT, maxConcurrency);
        try (LocalRunner runner = LocalRunner.start(settings); stallRow) {
            URI base = URI.create("http://127.0.0.1:" + runner.apiPort());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
            String bucketId = post(http, base, "/v1/bucket", Map.of("providerCredentials",
                    List.of(Map.of("type", "vapid", "payload",
                            Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                    "callbackConfig", Map.of("type", "http", "payload", Map.of("url", "http://127.0.0.1:"
                            + webhook.getAddress().getPort() + "/hook", "secret", BENCH_SECRET))))
                    .path("bucketId").asText();
            UUID contextId = UUID.fromString(post(http, base, "/v1/bucket/" + bucketId + "/context/data",
                    Map.of("title", "events")).path("contextId").asText());
            MessageIds messageIds = new MessageIds(Base64.getDecoder().decode(LOCAL_MESSAGE_ID_KEY));
            URI delivered0 = base.resolve("/v1/context/" + contextId + "/events/delivered");

            ScheduleTrigger schedule = runner.schedule().orElseThrow();
            double intakePerSecond = Double.NaN;
            double lastEventSeconds = Double.NaN;
            long refusedCount = 0;
            long intakeDelivered = 0;
            int intakePackages = 0;
            Handler handler = null;
            if (intake) {
                // A fresh function JVM runs its first thousands of invocations interpreted or C1-compiled (several
                // times slower): warm it like the APNs/FCM rows do, so the rows show the warm system.
                if (warmup > 0) {
                    long warmRefused = postEvents(http, delivered0, contextId, messageIds, warmup, concurrency,
                            "warm-");
                    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                    while (delivered.get() < warmup - warmRefused && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    delivered.set(0);
                    packages.set(0);
                    lastPackageNanos.set(0);
                }
                long start = System.nanoTime();
                refusedCount = postEvents(http, delivered0, contextId, messageIds, events, concurrency, "user-");
                intakePerSecond = events / ((System.nanoTime() - start) / 1e9);
                long expected = events - refusedCount;
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (delivered.get() < expected && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                lastEventSeconds = (lastPackageNanos.get() - start) / 1e9;
                intakeDelivered = delivered.get();
                intakePackages = (int) packages.get();

                // intake alone: the aggregator waits (its queue fills) while the handler runs, then delivers it all
                pause(schedule);
                handler = runHandler(runner, contextId, messageIds, handlerWarmup, handlerEvents, maxConcurrency,
                        delivered, () -> schedule.setEnabled(true));
            }

            // (l): the backlog goes on the queue while the schedule rule is disabled and no run is going, then one
            // invocation starts the drain; the clock runs from that invocation to the backlog's last event at the
            // webhook (a run stopping at aggregator.run.max-events leaves the rest to the next scheduled runs).
            double[] drainRates = new double[backlogRounds];
            String queueUrl = runner.aws().sqs().getQueueUrl(b -> b.queueName(LocalRunner.EVENT_QUEUE)).queueUrl();
            for (int round = 0; round < backlogRounds; round++) {
                pause(schedule);
                enqueue(runner, queueUrl, backlog, contextId, UUID.fromString(bucketId), messageIds);
                long before = delivered.get();
                long backlogStart = System.nanoTime();
                schedule.invoke();
                schedule.setEnabled(true);
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (delivered.get() - before < backlog && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                double backlogSeconds = Math.max(1e-3, (lastPackageNanos.get() - backlogStart) / 1e9);
                drainRates[round] = (delivered.get() - before) / backlogSeconds;
            }
            Arrays.sort(drainRates);

            Stall stall = stallRounds <= 0 ? null
                    : stallRow.measure(http, base, webhook.getAddress().getPort(), runner, queueUrl, schedule,
                            messageIds, stallRounds, schedulePeriod);
            return new Result(intake ? warmup : 0, intake ? events : 0, concurrency, maxConcurrency, intakePerSecond,
                    lastEventSeconds, refusedCount, intakeDelivered, intakePackages, handler, backlog,
                    backlogRounds == 0 ? Double.NaN : drainRates[backlogRounds / 2],
                    backlogRounds == 0 ? Double.NaN : drainRates[0],
                    backlogRounds == 0 ? Double.NaN : drainRates[backlogRounds - 1], backlogRounds, stall);
        } finally {
            webhook.stop(0);
        }
    }

    /**
     * The handler rows: API Gateway events as the local gateway builds them for {@code POST .../events/delivered},
     * fed to event-function's handler by {@link HandlerLoad} in a process like an event-function instance; then runs
     * {@code drain} (starts the aggregator) and waits until every accepted event has reached the webhook (counted by
     * {@code delivered}).
     */
    private static Handler runHandler(LocalRunner runner, UUID contextId, MessageIds messageIds, int warmup,
            int events, int threads, AtomicLong delivered, Runnable drain) throws Exception {
        Path payloads = Files.createTempFile("pushcore-handler-events", ".jsonl");
        try {
            String path = "/v1/context/" + contextId + "/events/delivered";
            Route.Match route = Route.find("POST", path).orElseThrow();
            List<String> lines = new ArrayList<>();
            // the warm-up phase goes through these too (the same events again: duplicates, which the contract allows)
            for (int i = 0; i < events + SERIAL_EVENTS; i++) {
                byte[] body = JSON.writeValueAsBytes(Map.of("contextId", contextId.toString(), "messageId",
                        messageIds.mint(contextId).toString(), "foreignId", "handler-" + i));
                HttpApiEvents.Request request = new HttpApiEvents.Request("POST", path, null, "HTTP/1.1",
                        Map.of("content-type", List.of("text/plain"), "host", List.of("127.0.0.1")), body,
                        "127.0.0.1");
                lines.add(JSON.writeValueAsString(HttpApiEvents.toEvent(request, route, UUID.randomUUID().toString(),
                        Instant.now())));
            }
            Files.write(payloads, lines);
            long before = delivered.get();
            List<String> args = new ArrayList<>(List.of(payloads.toString(), threads + ":" + warmup));
            for (int round = 0; round < ROUNDS; round++) {
                args.add(threads + ":" + events / ROUNDS);
            }
            args.add("1:" + SERIAL_EVENTS);
            Process load = runner.handlerProcess(LambdaFunction.EVENT, HandlerLoad.class, args)
                    .redirectErrorStream(true).start();
            List<String[]> phases = new ArrayList<>();
            try (BufferedReader out = load.inputReader(StandardCharsets.UTF_8)) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("phase ")) {
                        phases.add(line.split(" "));
                    }
                }
            }
            if (!load.waitFor(1, TimeUnit.MINUTES) || phases.size() != args.size() - 1) {
                load.destroyForcibly();
                throw new IllegalStateException("HandlerLoad ended after " + phases.size() + " of " + (args.size() - 1)
                        + " phases");
            }
            long accepted = phases.stream().mapToLong(p -> Long.parseLong(p[3])).sum();
            drain.run();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (delivered.get() - before < accepted && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double[] rounds = phases.subList(1, 1 + ROUNDS).stream().mapToDouble(EventThroughput::rate).sorted()
                    .toArray();
            return new Handler(warmup, events, threads, rounds[ROUNDS / 2], rounds[0], rounds[ROUNDS - 1],
                    rate(phases.get(phases.size() - 1)), accepted, delivered.get() - before,
                    phases.stream().mapToLong(p -> Long.parseLong(p[5])).sum());
        } finally {
            Files.deleteIfExists(payloads);
        }
    }

    /** Disables the aggregator's rule and waits for a run that is still going: nothing drains the queue after. */
    static void pause(ScheduleTrigger schedule) throws Exception {
        schedule.setEnabled(false);
        schedule.running().handle((body, failure) -> null).get(5, TimeUnit.MINUTES);
    }

    /** Puts {@code count} sent events of one context straight on the queue, as send-function writes them. */
    static void enqueue(LocalRunner runner, String queueUrl, int count, UUID contextId, UUID bucketId,
            MessageIds messageIds) {
        List<Event> load = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            load.add(Event.outcome(messageIds.mint(contextId), contextId, bucketId, "user-" + i, EventKind.SENT, null,
                    now));
        }
        for (List<String> group : QueueBatches.of(load)) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(group.get(i))
                        .build());
            }
            runner.aws().sqs().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        }
    }

    /** A web push bucket through the local API whose callback is {@code webhookUrl}, signed with a fixed key. */
    static UUID bucket(HttpClient http, URI base, String webhookUrl) throws Exception {
        FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        return UUID.fromString(post(http, base, "/v1/bucket", Map.of("providerCredentials",
                List.of(Map.of("type", "vapid", "payload",
                        Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey()))),
                "callbackConfig", Map.of("type", "http", "payload", Map.of("url", webhookUrl, "secret",
                        BENCH_SECRET)))).path("bucketId").asText());
    }

    static UUID context(HttpClient http, URI base, UUID bucketId) throws Exception {
        return UUID.fromString(post(http, base, "/v1/bucket/" + bucketId + "/context/data",
                Map.of("title", "events")).path("contextId").asText());
    }

    /** Calls answered 201 per second in one {@link HandlerLoad} phase line. */
    private static double rate(String[] phase) {
        return Long.parseLong(phase[3]) / (Long.parseLong(phase[4]) / 1e9);
    }

    /** Posts {@code events} client events, {@code concurrency} at a time; returns how many were not answered 201. */
    private static long postEvents(HttpClient http, URI uri, UUID contextId, MessageIds messageIds, int events,
            int concurrency, String foreignIdPrefix) throws Exception {
        AtomicLong refused = new AtomicLong();
        Semaphore inFlight = new Semaphore(concurrency);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>(events);
            for (int i = 0; i < events; i++) {
                byte[] body = JSON.writeValueAsBytes(Map.of("contextId", contextId.toString(), "messageId",
                        messageIds.mint(contextId).toString(), "foreignId", foreignIdPrefix + i));
                inFlight.acquire();
                futures.add(clients.submit(() -> {
                    try {
                        int status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                                .header("content-type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status != 201) {
                            refused.incrementAndGet();
                        }
                    } finally {
                        inFlight.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        return refused.get();
    }

    private static JsonNode post(HttpClient http, URI base, String path, Object body) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60)).header("authorization", "Bearer " + LocalRunner.DEV_API_KEY)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    /**
     * {@code -Dbench.event-warmup} (default 3000, posted and delivered before anything is measured),
     * {@code -Dbench.events} (default 5000), {@code -Dbench.event-concurrency} (default 64),
     * {@code -Dbench.event-max-concurrency} (default 64: event-function runs as on Lambda Managed Instances with that
     * many invocations per instance; 1 for Lambda's default), {@code -Dbench.handler-warmup} (default 120000),
     * {@code -Dbench.handler-events} (default 60000), {@code -Dbench.event-backlog} (default 200000),
     * {@code -Dbench.backlog-rounds} (default 3: (l) is their median), {@code -Dbench.stall-rounds} (default 5: (o)
     * takes medians of that many rounds alone and with the stalled tenant), {@code -Dbench.instances}
     * (event-function processes). {@code intake}: rows (j) and (k); {@code drain}: (l); {@code stall}: (o).
     */
    static Result run(boolean intake, boolean drain, boolean stall) throws Exception {
        return run(Integer.getInteger("bench.event-warmup", 3_000), Integer.getInteger("bench.events", 5_000),
                Integer.getInteger("bench.event-concurrency", 64), Integer.getInteger("bench.event-max-concurrency", 64),
                Integer.getInteger("bench.handler-warmup", 120_000), Integer.getInteger("bench.handler-events", 60_000),
                Integer.getInteger("bench.event-backlog", 200_000),
                drain ? Integer.getInteger("bench.backlog-rounds", 3) : 0,
                stall ? Integer.getInteger("bench.stall-rounds", 5) : 0, intake);
    }

    /** The rows of this measurement in {@link PushcoreBenchmark}'s table; null: skipped. */
    static void printRows(Result r) {
        if (r == null) {
            System.out.printf("| %-59s | %12s | %-14s |%n", "(j)-(l), (o) client events and the aggregator", "skipped",
                    "");
            return;
        }
        Handler h = r.handler();
        if (h == null) {
            System.out.printf("| %-59s | %12s | %-14s |%n", "(j), (k) client event intake", "skipped", "");
        } else {
            System.out.printf("| %-59s | %12.0f | %-14s |%n", "(j) event-function handler, " + h.threads()
                    + " invocations at a time (LMI), median", h.perSecond(), "events/s");
            System.out.printf("| %-59s | %12s | %-14s |%n", "    slowest / fastest of " + ROUNDS + " rounds of "
                    + h.events() / ROUNDS, String.format("%.0f-%.0f", h.minPerSecond(), h.maxPerSecond()),
                    "events/s");
            System.out.printf("| %-59s | %12.0f | %-14s |%n",
                    "    same, one at a time (per environment, Lambda default)", h.serialPerSecond(), "events/s");
            System.out.printf("| %-59s | %12d | %-14s |%n", "    " + h.warmup() + " warm-up + " + h.events() + " + "
                    + SERIAL_EVENTS + ": accepted / at webhook / timed out", h.accepted(), "/ " + h.delivered()
                    + " / " + h.timedOut());
            System.out.printf("| %-59s | %12.0f | %-14s |%n", "    whole local API: " + r.events() + " posts, "
                    + r.concurrency() + " in flight, max conc. " + r.maxConcurrency(), r.intakePerSecond(),
                    "events/s");
            System.out.printf("| %-59s | %12d | %-14s |%n", "    after warm-up events (delivered before measuring)",
                    r.warmup(), "events");
            // the schedule (1 s) sets the pace here, so end-to-end time, not a drain rate: that is (l)
            System.out.printf("| %-59s | %12.1f | %-14s |%n",
                    "(k) those posts: first post to last event at the webhook", r.lastEventSeconds(), "s");
            System.out.printf("| %-59s | %12d | %-14s |%n", "    events at the webhook / refused / packages",
                    r.delivered(), "/ " + r.refused() + " / " + r.packages());
        }
        if (r.backlogRounds() == 0) {
            System.out.printf("| %-59s | %12s | %-14s |%n", "(l) aggregator draining a backlog", "skipped", "");
        } else {
            System.out.printf("| %-59s | %12.0f | %-14s |%n", "(l) aggregator draining a backlog of " + r.backlog()
                    + " queued events", r.backlogPerSecond(), r.backlogPerSecond() >= 50_000 ? "events/s met"
                            : "events/s MISSED");
            System.out.printf("| %-59s | %12s | %-14s |%n", "    median of " + r.backlogRounds()
                    + " rounds; slowest-fastest (target >= 50000)", String.format("%.0f-%.0f",
                            r.minBacklogPerSecond(), r.maxBacklogPerSecond()), "events/s");
        }
        Stall st = r.stall();
        if (st == null) {
            System.out.printf("| %-59s | %12s | %-14s |%n", "(o) healthy tenant latency beside a stalled one",
                    "skipped", "");
        } else {
            double added = st.withStallMillis() - st.aloneMillis();
            System.out.printf("| %-59s | %12.0f | %-14s |%n", "(o) healthy tenant, run start to its first event: alone",
                    st.aloneMillis(), "ms");
            System.out.printf("| %-59s | %12.0f | %-14s |%n", "    same run with a stalled tenant (never answers)",
                    st.withStallMillis(), "ms");
            System.out.printf("| %-59s | %12.0f | %-14s |%n", "    added by the stall (target < schedule period, "
                    + st.schedulePeriodMillis() + " ms)", added, added < st.schedulePeriodMillis() ? "ms  met"
                            : "ms  MISSED");
            System.out.printf("| %-59s | %12s | %-14s |%n", "    medians of " + st.rounds()
                    + " rounds each; slowest stalled / duplicates", String.format("%.0f / %d",
                            st.maxWithStallMillis(), st.duplicates()), "ms / events");
        }
    }
}
