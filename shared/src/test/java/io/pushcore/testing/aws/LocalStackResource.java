package io.pushcore.testing.aws;

/**
 * {@link LocalAwsResource} backed by LocalStack in Docker. Use it only in test classes guarded by
 * {@link EnabledIfDocker}.
 */
public class LocalStackResource extends LocalAwsResource {

    @Override
    protected LocalAws startServices() {
        return LocalAws.startLocalStack();
    }
}
