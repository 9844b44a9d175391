package io.pushcore.local;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.pushcore.local.bootstrap.MetricsEndpoint;

/**
 * Runs the whole system on one machine: the {@link AwsStandIns}, one {@link LambdaRuntimeApi} and its
 * {@link FunctionProcess}es (running the unpacked {@code function.zip}) per packaged function, the {@link HttpApiGateway} and the aggregator's
 * {@link ScheduleTrigger}. Functions whose artifact is missing are skipped (and said so on the console).
 *
 * <p>Each instance has its own Runtime API endpoint. An invocation that runs into the function's timeout fails with
 * {@code Sandbox.Timedout}, and its instance is killed and replaced by a fresh process, as Lambda resets an execution
 * environment after a timeout; on Lambda Managed Instances (max concurrency above 1) only that invocation fails and
 * the instance goes on serving the others, its handler left running, as there.
 *
 * <p>Run by {@code ./mvnw -B -Plocal package -DskipTests}; Ctrl-C stops everything.
 */
public final class LocalRunner implements AutoCloseable {

    public static final String DEV_API_KEY = "pushcore-dev-key";
    public static final String DEV_TENANT = "dev";
    public static final String STATE_BUCKET = "pushcore-state";
    public static final String CDN_BUCKET = "pushcore-cdn";
    /** Where the local API serves the CDN bucket's public images (in AWS: the bucket's own URL). */
    public static final String CDN_PATH = "/cdn/";
    public static final String EVENT_QUEUE = "pushcore-events";
    public static final String EVENT_DLQ = "pushcore-events-dlq";
    static final String SCHEDULE_RULE = "pushcore-aggregator-schedule";

    /**
     * @param root         the repository root holding the function modules
     * @param apiPort      API Gateway port; 0 picks a free one
     * @param instances    processes per HTTP function polling the same runtime API
     * @param environment  extra environment for every function, over the defaults
     * @param functionTimeouts overrides of the template's function timeouts ({@link LambdaFunction#timeout()}), for
     *                     tests; empty in normal runs
     * @param maxConcurrency invocations one instance of a function takes at a time when it runs as on Lambda Managed
     *                     Instances ({@code PerExecutionEnvironmentMaxConcurrency}); functions not named take one at a
     *                     time, as on Lambda (default), which is what {@code template.yaml} deploys
     */
    public record Settings(Path root, int apiPort, Duration scheduleInterval, int instances, List<String> jvmOptions,
            Map<String, String> environment, Duration startTimeout, PrintStream console,
            Map<LambdaFunction, Duration> functionTimeouts, Map<LambdaFunction, Integer> maxConcurrency) {

        /** With the template's function timeouts, one invocation per instance at a time. */
        public Settings(Path root, int apiPort, Duration scheduleInterval, int instances, List<String> jvmOptions,
                Map<String, String> environment, Duration startTimeout, PrintStream console) {
            this(root, apiPort, scheduleInterval, instances, jvmOptions, environment, startTimeout, console, Map.of(),
                    Map.of());
        }

        public static Settings defaults(Path root) {
            return new Settings(root, 8080, Duration.ofSeconds(5), 1, List.of("-Xmx512m"), Map.of(),
                    Duration.ofSeconds(180), System.out);
        }

        public Settings withApiPort(int port) {
            return new Settings(root, port, scheduleInterval, instances, jvmOptions, environment, startTimeout, console,
                    functionTimeouts, maxConcurrency);
        }

        public Settings withInstances(int count) {
            return new Settings(root, apiPort, scheduleInterval, count, jvmOptions, environment, startTimeout, console,
                    functionTimeouts, maxConcurrency);
        }

        public Settings withScheduleInterval(Duration interval) {
            return new Settings(root, apiPort, interval, instances, jvmOptions, environment, startTimeout, console,
                    functionTimeouts, maxConcurrency);
        }

        public Settings withEnvironment(Map<String, String> extra) {
            return new Settings(root, apiPort, scheduleInterval, instances, jvmOptions, extra, startTimeout, console,
                    functionTimeouts, maxConcurrency);
        }

        public Settings withFunctionTimeout(LambdaFunction function, Duration timeout) {
            Map<LambdaFunction, Duration> timeouts = new EnumMap<>(LambdaFunction.class);
            timeouts.putAll(functionTimeouts);
            timeouts.put(function, timeout);
            return new Settings(root, apiPort, scheduleInterval, instances, jvmOptions, environment, startTimeout, console,
                    Map.copyOf(timeouts), maxConcurrency);
        }

        /** {@code function} runs as on Lambda Managed Instances, {@code concurrency} invocations per instance. */
        public Settings withMaxConcurrency(LambdaFunction function, int concurrency) {
            Map<LambdaFunction, Integer> limits = new EnumMap<>(LambdaFunction.class);
            limits.putAll(maxConcurrency);
            limits.put(function, concurrency);
            return new Settings(root, apiPort, scheduleInterval, instances, jvmOptions, environment, startTimeout, console,
                    functionTimeouts, Map.copyOf(limits));
        }

        /** The function's timeout: the template's unless overridden. */
        public Duration timeout(LambdaFunction function) {
            return functionTimeouts.getOrDefault(function, function.timeout());
        }

        /**
         * From {@code -Dpushcore.root}, {@code -Dpushcore.local.port}, {@code .schedule-seconds}, {@code .instances},
         * {@code .event-max-concurrency} (above 1: event-function runs as on Lambda Managed Instances).
         */
        public static Settings fromSystemProperties() {
            Path root = Path.of(System.getProperty("pushcore.root", findRoot().toString())).toAbsolutePath().normalize();
            Settings defaults = defaults(root);
            Settings settings = new Settings(root, Integer.getInteger("pushcore.local.port", defaults.apiPort()),
                    Duration.ofSeconds(Integer.getInteger("pushcore.local.schedule-seconds", 5)),
                    Integer.getInteger("pushcore.local.instances", defaults.instances()), defaults.jvmOptions(),
                    Map.of(), defaults.startTimeout(), System.out);
            int eventConcurrency = Integer.getInteger("pushcore.local.event-max-concurrency", 1);
            return eventConcurrency > 1 ? settings.withMaxConcurrency(LambdaFunction.EVENT, eventConcurrency)
                    : settings;
        }

        private static Path findRoot() {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isDirectory(dir.resolve("send-function")) && Files.isDirectory(dir.resolve("infra"))) {
                    return dir;
                }
            }
            return Path.of("").toAbsolutePath();
        }
    }

    private final Settings settings;
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private final Map<LambdaFunction, LambdaRuntimeApi> runtimes = new EnumMap<>(LambdaFunction.class);
    private final Map<LambdaFunction, List<Instance>> instances = new EnumMap<>(LambdaFunction.class);
    private final Thread shutdownHook = new Thread(this::close, "pushcore-local-shutdown");
    private AwsStandIns aws;
    private HttpApiGateway gateway;
    private String deadLetterQueueUrl;
    private String queueUrl;
    private final Map<LambdaFunction, Path> taskRoots = new EnumMap<>(LambdaFunction.class);
    private ScheduleTrigger schedule;
    private LocalDashboard dashboard;
    private volatile boolean closing;
    /** The environment of the last {@link #redeploy}, over the settings'. */
    private volatile Map<String, String> deployed = Map.of();

    private LocalRunner(Settings settings) {
        this.settings = settings;
    }

    public static LocalRunner start(Settings settings) throws Exception {
        LocalRunner runner = new LocalRunner(settings);
        Runtime.getRuntime().addShutdownHook(runner.shutdownHook);
        try {
            runner.startAll();
            return runner;
        } catch (Exception | Error e) {
            runner.close();
            throw e;
        }
    }

    public static void main(String[] args) throws Exception {
        LocalRunner runner = start(Settings.fromSystemProperties());
        runner.printWelcome();
        new CountDownLatch(1).await();
    }

    private void startAll() throws Exception {
        PrintStream console = settings.console();
        List<LambdaFunction> packaged = new ArrayList<>();
        for (LambdaFunction function : LambdaFunction.values()) {
            if (function.isPackaged(settings.root())) {
                packaged.add(function);
            } else {
                console.println("[local] " + function.module() + ": no artifact at "
                        + settings.root().relativize(function.functionZip(settings.root())) + ", not started");
            }
        }
        if (packaged.isEmpty()) {
            throw new IllegalStateException("no function is packaged under " + settings.root()
                    + "; run ./mvnw -B package -DskipTests first");
        }
        for (LambdaFunction function : packaged) {
            LambdaRuntimeApi runtime = track(new LambdaRuntimeApi(function.module(), AwsStandIns.REGION,
                    settings.timeout(function)));
            runtimes.put(function, runtime);
        }
        gateway = track(new HttpApiGateway(settings.apiPort(), runtimes, HttpApiGateway.INTEGRATION_TIMEOUT));

        aws = track(AwsStandIns.start());
        aws.createBucket(STATE_BUCKET);
        aws.createBucket(CDN_BUCKET);
        gateway.serve(new PublicBucket(CDN_PATH, aws.s3(), CDN_BUCKET, "images/"));
        deadLetterQueueUrl = aws.createQueue(EVENT_DLQ);
        queueUrl = aws.createQueue(EVENT_QUEUE);

        for (LambdaFunction function : packaged) {
            int count = function.trigger() == LambdaFunction.Trigger.HTTP ? settings.instances() : 1;
            Path taskRoot = unpack(function);
            taskRoots.put(function, taskRoot);
            for (int i = 1; i <= count; i++) {
                Instance instance = new Instance(function,
                        count == 1 ? function.module() : function.module() + "#" + i, taskRoot);
                instances.computeIfAbsent(function, f -> new CopyOnWriteArrayList<>()).add(instance);
                instance.start();
            }
        }
        Map<String, String> queues = new LinkedHashMap<>();
        queues.put("event queue", queueUrl);
        queues.put("dead-letter queue", deadLetterQueueUrl);
        dashboard = track(new LocalDashboard(this::metricsTargets, aws.sqs(), queues));
        gateway.serve(dashboard);
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        for (LambdaFunction function : packaged) {
            LambdaRuntimeApi runtime = runtimes.get(function);
            while (!runtime.awaitReady(Duration.ofMillis(200))) {
                if (runtime.initError() != null || instances.get(function).stream().noneMatch(Instance::isAlive)) {
                    if (runtime.initError() != null) {
                        settings.console().println("[" + function.module() + "] init error: " + runtime.initError());
                    }
                    throw new IllegalStateException(function.module() + " failed to start; see its output above");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(function.module() + " did not poll for invocations within "
                            + settings.startTimeout().toSeconds() + " s");
                }
            }
        }
        if (runtimes.containsKey(LambdaFunction.AGGREGATOR)) {
            schedule = track(new ScheduleTrigger(runtimes.get(LambdaFunction.AGGREGATOR), SCHEDULE_RULE,
                    AwsStandIns.REGION, settings.scheduleInterval(), Duration.ofMinutes(5), console));
        }
    }

    /**
     * One execution environment: its own Runtime API endpoint and the process serving it. After a timeout the process
     * is killed and a fresh one serves the same endpoint, like Lambda's reset of an environment.
     */
    private final class Instance {
        private final LambdaFunction function;
        private final String name;
        private final Path taskRoot;
        private final LambdaRuntimeApi.Endpoint endpoint;
        private FunctionProcess process; // guarded by this
        /** The current process's metrics ({@link io.pushcore.local.bootstrap.MetricsEndpoint}), once announced. */
        private volatile LocalDashboard.Target metrics;
        /** Which start is current; an exit of an earlier (replaced) process is expected and not reported. */
        private int generation; // guarded by this

        Instance(LambdaFunction function, String name, Path taskRoot) throws IOException {
            this.function = function;
            this.name = name;
            this.taskRoot = taskRoot;
            this.endpoint = runtimes.get(function).endpoint(name, this::timedOut);
        }

        /** Starts a process; returns {@link System#nanoTime()} just before it was launched. */
        synchronized long start() throws IOException {
            int started = ++generation;
            Map<String, String> env = environment(function);
            env.put("AWS_LAMBDA_RUNTIME_API", endpoint.address());
            env.put(MetricsEndpoint.ENABLE, "true");
            long launched = System.nanoTime();
            metrics = null;
            FunctionProcess[] starting = new FunctionProcess[1];
            process = FunctionProcess.start(name, FunctionProcess.lambdaJava(taskRoot, settings.jvmOptions()), taskRoot,
                    env, settings.console(), exit -> exited(started, exit), line -> announced(starting[0], line));
            starting[0] = process;
            return launched;
        }

        /** Hears the process's output for its metrics URL; an earlier process's announcement is ignored. */
        private void announced(FunctionProcess from, String line) {
            if (line.startsWith(MetricsEndpoint.ANNOUNCEMENT)) {
                synchronized (this) { // start() holds the lock until from is set
                    if (from == process) {
                        metrics = new LocalDashboard.Target(name, from.pid(),
                                URI.create(line.substring(MetricsEndpoint.ANNOUNCEMENT.length()).strip()));
                    }
                }
            }
        }

        /**
         * Stops the process (SIGTERM, its exit expected), drops the poll it left waiting and starts a fresh one on the
         * same endpoint; returns the new process's launch time ({@link #start}).
         */
        synchronized long restart() throws IOException {
            generation++;
            process.close();
            endpoint.failInFlight(name + " was restarted");
            endpoint.replaceProcess();
            return start();
        }

        synchronized boolean isAlive() {
            return process != null && process.isAlive();
        }

        synchronized long pid() {
            return process.pid();
        }

        /** Stops the process (SIGTERM, then SIGKILL); none yet when its first start failed. */
        synchronized void close() {
            if (process != null) {
                process.close();
            }
        }

        private void exited(int started, int exit) {
            synchronized (this) {
                if (closing || started != generation) {
                    return;
                }
            }
            settings.console().println("[local] " + name + " exited with code " + exit);
            endpoint.failInFlight(name + " exited with code " + exit);
            if (instances.getOrDefault(function, List.of()).stream().noneMatch(Instance::isAlive)) {
                runtimes.get(function).failAll(function.module() + " is not running");
            }
        }

        /**
         * Called by the Runtime API once the invocation has failed: Lambda's log line, then the reset. Managed Instances
         * do not enforce the timeout (the handler runs on, the environment keeps serving the others), so no reset there.
         */
        private void timedOut(LambdaRuntimeApi.TimedOut timeout) {
            settings.console().println("[" + name + "] " + Instant.now().truncatedTo(ChronoUnit.MILLIS) + " "
                    + timeout.requestId() + " Task timed out after " + LambdaRuntimeApi.seconds(timeout.elapsed())
                    + " seconds");
            if (settings.maxConcurrency().getOrDefault(function, 1) == 1) {
                Thread.ofVirtual().name(name + "-reset").start(this::replace);
            }
        }

        /** Stops the process gracefully and starts one with the current environment on the same endpoint. */
        synchronized void redeploy() throws IOException {
            FunctionProcess old = process;
            generation++;
            if (old != null) {
                old.close();
            }
            endpoint.failInFlight(name + " was replaced by a redeploy");
            endpoint.replaceProcess();
            settings.console().println("[local] " + name + " redeployed; starting a fresh process");
            start();
        }

        private synchronized void replace() {
            if (closing) {
                return;
            }
            FunctionProcess old = process;
            generation++;
            old.kill();
            endpoint.failInFlight(name + " was reset after a timeout");
            endpoint.replaceProcess();
            settings.console().println("[local] " + name + " (pid " + old.pid()
                    + ") killed after the timeout; starting a fresh process");
            try {
                start();
            } catch (IOException e) {
                settings.console().println("[local] " + name + " could not be restarted: " + e);
            }
        }
    }

    /** Lambda unpacks the zip into /var/task; here a temporary directory that goes away with the runner. */
    private Path unpack(LambdaFunction function) throws IOException {
        Path taskRoot = Files.createTempDirectory("pushcore-" + function.module() + "-");
        track(() -> deleteTree(taskRoot));
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(function.functionZip(settings.root())))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null;) {
                Path target = taskRoot.resolve(entry.getName()).normalize();
                if (!target.startsWith(taskRoot)) {
                    throw new IOException("zip entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        return taskRoot;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * What Lambda and the template give each function, pointed at the local stand-ins; an instance adds its own
     * {@code AWS_LAMBDA_RUNTIME_API}.
     */
    private Map<String, String> environment(LambdaFunction function) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LAMBDA_TASK_ROOT", taskRoots.get(function).toString());
        env.put("_HANDLER", LambdaFunction.HANDLER);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.module());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        Integer concurrency = settings.maxConcurrency().get(function);
        if (concurrency != null) {
            env.put("AWS_LAMBDA_MAX_CONCURRENCY", concurrency.toString());
        }
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.module());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_REGION", AwsStandIns.REGION);
        env.put("AWS_DEFAULT_REGION", AwsStandIns.REGION);
        env.put("AWS_ACCESS_KEY_ID", aws.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", aws.secretKey());
        env.put("QUARKUS_PROFILE", "local");
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", aws.s3Endpoint().toString());
        env.put("QUARKUS_S3_PATH_STYLE_ACCESS", "true");
        env.put("QUARKUS_SQS_ENDPOINT_OVERRIDE", aws.sqsEndpoint().toString());
        switch (function) {
            case SEND -> {
                env.put("SEND_STATE_BUCKET", STATE_BUCKET);
                env.put("SEND_IMAGES_BUCKET", CDN_BUCKET);
                env.put("SEND_IMAGES_CDN_BASE_URL", gateway.baseUri() + CDN_PATH);
                env.put("SEND_EVENTS_QUEUE_URL", queueUrl);
            }
            case EVENT -> env.put("EVENT_QUEUE_URL", queueUrl);
            case AGGREGATOR -> {
                env.put("AGGREGATOR_QUEUE_URL", queueUrl);
                if (deadLetterQueueUrl != null) {
                    env.put("AGGREGATOR_DEAD_LETTER_QUEUE_URL", deadLetterQueueUrl);
                }
                env.put("AGGREGATOR_STATE_BUCKET", STATE_BUCKET);
            }
        }
        env.putAll(settings.environment());
        env.putAll(deployed);
        return env;
    }

    /**
     * Deploys a new configuration the way a Lambda deployment does: every instance of every function is replaced by
     * a fresh process with {@code environment} over the settings' environment, while the S3 and SQS stand-ins (and
     * so all state and queued events) stay. Instances are replaced one function at a time in {@code order} (e.g.
     * event-function before send-function, so what send-function mints is already verifiable), each function
     * serving again before the next one stops. Returns once every new process polls for invocations.
     */
    public void redeploy(Map<String, String> environment, List<LambdaFunction> order) throws Exception {
        deployed = Map.copyOf(environment);
        for (LambdaFunction function : order) {
            List<Instance> running = instances.getOrDefault(function, List.of());
            for (Instance instance : running) {
                instance.redeploy();
            }
            for (Instance instance : running) {
                if (!instance.endpoint.awaitPoll(settings.startTimeout())) {
                    throw new IllegalStateException(instance.name + " did not poll for invocations within "
                            + settings.startTimeout().toSeconds() + " s of its redeploy");
                }
            }
        }
    }

    public URI baseUri() {
        return gateway.baseUri();
    }

    /** Where the local dashboard is: {@code /_local/} of the local API ({@link LocalDashboard}). */
    public URI dashboardUri() {
        return URI.create(gateway.baseUri() + LocalDashboard.PATH + "/");
    }

    /** The live processes whose metrics endpoint is known, for the dashboard. */
    private List<LocalDashboard.Target> metricsTargets() {
        List<LocalDashboard.Target> targets = new ArrayList<>();
        instances.values().forEach(list -> list.forEach(instance -> {
            LocalDashboard.Target target = instance.metrics;
            if (target != null && instance.isAlive()) {
                targets.add(target);
            }
        }));
        return targets;
    }

    /**
     * A process like an instance of {@code function} (its unpacked zip, environment and JVM options) but with
     * {@code mainClass} in place of the Runtime API client: for tools that call the handler directly through
     * {@link io.pushcore.local.bootstrap.LambdaHandler}, such as the benchmark measuring a handler without the
     * emulated transport. {@code mainClass}'s own code source goes on the class path after the function's.
     */
    public ProcessBuilder handlerProcess(LambdaFunction function, Class<?> mainClass, List<String> args) {
        Path taskRoot = taskRoots.get(function);
        if (taskRoot == null) {
            throw new IllegalStateException(function.module() + " is not running");
        }
        List<String> command = new ArrayList<>(FunctionProcess.java(taskRoot, settings.jvmOptions(), mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
        builder.environment().putAll(environment(function));
        return builder;
    }

    /**
     * A cold start on demand: replaces every instance of {@code function} with a fresh process, as Lambda starts a new
     * execution environment. Each old process is stopped first (SIGTERM); invocations queued meanwhile wait for the new
     * ones. Returns {@link System#nanoTime()} just before the first new process was launched, where a cold start's
     * clock starts (the benchmark measures from there to the first answered invocation).
     */
    public long restart(LambdaFunction function) throws IOException {
        List<Instance> running = instances.get(function);
        if (running == null) {
            throw new IllegalStateException(function.module() + " is not running");
        }
        long first = 0;
        for (int i = 0; i < running.size(); i++) {
            long launched = running.get(i).restart();
            first = i == 0 ? launched : first;
        }
        return first;
    }

    /** The S3/SQS stand-ins the functions use (benchmarks load the event queue directly). */
    public AwsStandIns aws() {
        return aws;
    }

    /** The aggregator's schedule rule; empty when the aggregator is not running. */
    public Optional<ScheduleTrigger> schedule() {
        return Optional.ofNullable(schedule);
    }

    public int apiPort() {
        return gateway.port();
    }

    public boolean isRunning(LambdaFunction function) {
        return runtimes.containsKey(function);
    }

    public void printWelcome() throws Exception {
        PrintStream out = settings.console();
        String[] vapid = vapidKeyPair();
        String base = baseUri() + "/v1";
        out.println();
        out.println("pushcore is running locally (Ctrl-C stops everything)");
        out.println("  base URL:             " + base);
        out.println("  API key:              " + DEV_API_KEY + " (tenant " + DEV_TENANT + ")");
        out.println("  image CDN:            " + baseUri() + CDN_PATH + "images/... (bucket " + CDN_BUCKET + ")");
        for (LambdaFunction function : LambdaFunction.values()) {
            List<Instance> running = instances.getOrDefault(function, List.of());
            out.println("  " + String.format("%-22s", function.module() + ":")
                    + (running.isEmpty() ? "not packaged, not started"
                            : running.size() + " instance(s), pid " + running.stream()
                                    .map(p -> Long.toString(p.pid())).toList() + ", timeout "
                                    + settings.timeout(function).toSeconds() + " s"));
        }
        if (isRunning(LambdaFunction.AGGREGATOR)) {
            out.println("  schedule:             aggregator every " + settings.scheduleInterval().toSeconds() + " s");
        }
        out.println("  dashboard:            " + dashboardUri() + " (sends, events, webhooks, queues, live)");
        out.println("  try (creates a bucket with a fresh VAPID key pair):");
        out.println("    curl -s -X POST " + base + "/bucket -H 'authorization: Bearer " + DEV_API_KEY + "' \\");
        out.println("      -H 'content-type: application/json' \\");
        out.println("      -d '{\"providerCredentials\":[{\"type\":\"vapid\",\"payload\":{\"publicKey\":\"" + vapid[0]
                + "\",\"privateKey\":\"" + vapid[1] + "\"}}],\"callbackConfig\":{\"type\":\"none\"}}'");
        out.println();
    }

    /** A P-256 key pair as VAPID wants it: uncompressed public point and raw private scalar, base64url. */
    static String[] vapidKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = generator.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        byte[] point = new byte[65];
        point[0] = 4;
        copyUnsigned(pub.getW().getAffineX(), point, 1);
        copyUnsigned(pub.getW().getAffineY(), point, 33);
        byte[] priv = new byte[32];
        copyUnsigned(((ECPrivateKey) pair.getPrivate()).getS(), priv, 0);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return new String[] { b64.encodeToString(point), b64.encodeToString(priv) };
    }

    private static void copyUnsigned(BigInteger value, byte[] target, int offset) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, target, offset + 32 - length, length);
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // called from the hook itself
        }
        List<Thread> stopping = new ArrayList<>();
        instances.values().forEach(list -> list.forEach(i -> stopping.add(Thread.ofVirtual().start(i::close))));
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        for (AutoCloseable resource : reversed) {
            try {
                resource.close();
            } catch (Exception e) {
                settings.console().println("[local] could not stop " + resource.getClass().getSimpleName() + ": " + e);
            }
        }
    }
}
