package io.pushcore.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The three functions as the runner knows them. {@code InfraTemplateTest} keeps this list, {@link #HANDLER},
 * {@link #functionZip} and {@link #timeout} in step with {@code template.yaml}, the one place for handler, zip paths
 * and sizing (the runner does not read the template itself).
 */
public enum LambdaFunction {
    // timeouts: Resources.<logicalId>.Properties.Timeout in template.yaml (seconds)
    SEND("send-function", "SendFunction", Trigger.HTTP, Duration.ofSeconds(25)),
    EVENT("event-function", "EventFunction", Trigger.HTTP, Duration.ofSeconds(10)),
    AGGREGATOR("aggregator-function", "AggregatorFunction", Trigger.SCHEDULE, Duration.ofSeconds(55));

    /** The handler every function's zip is deployed with (template Globals). */
    public static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    public enum Trigger {
        HTTP,
        SCHEDULE
    }

    private final String module;
    private final String logicalId;
    private final Trigger trigger;
    private final Duration timeout;

    LambdaFunction(String module, String logicalId, Trigger trigger, Duration timeout) {
        this.module = module;
        this.logicalId = logicalId;
        this.trigger = trigger;
        this.timeout = timeout;
    }

    /** Reactor module directory, also the name used on the console and as AWS_LAMBDA_FUNCTION_NAME locally. */
    public String module() {
        return module;
    }

    /** Resource name in {@code infra/template.yaml}. */
    public String logicalId() {
        return logicalId;
    }

    public Trigger trigger() {
        return trigger;
    }

    /** The function timeout ({@code Timeout} of its template resource): Lambda ends an invocation running longer. */
    public Duration timeout() {
        return timeout;
    }

    /** The deployment artifact {@code quarkus:build} writes; the template's CodeUri points at the same file. */
    public Path functionZip(Path root) {
        return root.resolve(module).resolve("target/function.zip");
    }

    public boolean isPackaged(Path root) {
        return Files.isRegularFile(functionZip(root));
    }
}
