package io.pushcore.testing.aws;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link EnabledIfDocker}; asks Docker once per JVM. */
public class DockerCondition implements ExecutionCondition {

    private static volatile Boolean available;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (available == null) {
            available = LocalAws.isDockerAvailable();
        }
        return available
                ? ConditionEvaluationResult.enabled("Docker is available: running against LocalStack")
                : ConditionEvaluationResult.disabled("Docker is not available: LocalStack variant skipped; "
                        + "the same tests ran against ElasticMQ/s3proxy");
    }
}
