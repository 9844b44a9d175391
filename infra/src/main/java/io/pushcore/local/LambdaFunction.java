package io.pushcore.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The three functions as the runner knows them. {@code InfraTemplateTest} keeps this list and {@code template.yaml}
 * in step, so the template stays the one place for handler, zip paths and sizing.
 */
public enum LambdaFunction {
    SEND("send-function", "SendFunction", Trigger.HTTP),
    EVENT("event-function", "EventFunction", Trigger.HTTP),
    AGGREGATOR("aggregator-function", "AggregatorFunction", Trigger.SCHEDULE);

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

    /** What {@code quarkus:build} leaves in the module: the JVM launcher Lambda's zip also contains. */
    public Path runJar(Path root) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public boolean isPackaged(Path root) {
        return Files.isRegularFile(runJar(root));
    }
}
