package io.pushcore.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The three functions as the runner knows them. {@code InfraTemplateTest} keeps this list, {@link #HANDLER} and
 * {@link #functionZip} in step with {@code template.yaml}, the one place for handler, zip paths and sizing.
 */
public enum LambdaFunction {
    SEND("send-function", "SendFunction", Trigger.HTTP),
    EVENT("event-function", "EventFunction", Trigger.HTTP),
    AGGREGATOR("aggregator-function", "AggregatorFunction", Trigger.SCHEDULE);

    /** The handler every function's zip is deployed with (template Globals). */
    public static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    public enum Trigger {
        HTTP,
        SCHEDULE
    }

    private final String module;
    private final String logicalId;
    private final Trigger trigger;

    LambdaFunction(String module, String logicalId, Trigger trigger) {
        this.module = module;
        this.logicalId = logicalId;
        this.trigger = trigger;
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

    /** The deployment artifact {@code quarkus:build} writes; the template's CodeUri points at the same file. */
    public Path functionZip(Path root) {
        return root.resolve(module).resolve("target/function.zip");
    }

    public boolean isPackaged(Path root) {
        return Files.isRegularFile(functionZip(root));
    }
}
