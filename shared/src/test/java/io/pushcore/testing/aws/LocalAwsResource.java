package io.pushcore.testing.aws;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource that starts {@link LocalAws} (in process, or LocalStack in Docker with the init arg
 * {@code localstack=true}), creates the S3 buckets and SQS queues named by the init args {@code buckets} and
 * {@code queues} (comma-separated), and points {@code quarkus.s3.*} and {@code quarkus.sqs.*} at it. Test fields
 * annotated {@link InjectLocalAws} receive the running instance. Modules extend it to add their own keys.
 */
public class LocalAwsResource implements QuarkusTestResourceLifecycleManager {

    private List<String> buckets = List.of();
    private List<String> queues = List.of();
    private boolean localStack;
    private LocalAws aws;

    @Override
    public void init(Map<String, String> initArgs) {
        buckets = split(initArgs.get("buckets"));
        queues = split(initArgs.get("queues"));
        localStack = Boolean.parseBoolean(initArgs.get("localstack"));
    }

    protected LocalAws startServices() {
        return localStack ? LocalAws.startLocalStack() : LocalAws.startInProcess();
    }

    /** The URL of a queue named in {@code queues}, once started. */
    protected String queueUrl(String name) {
        return aws.sqs().getQueueUrl(b -> b.queueName(name)).queueUrl();
    }

    @Override
    public Map<String, String> start() {
        aws = startServices();
        buckets.forEach(aws::createBucket);
        queues.forEach(aws::createQueue);
        return aws.quarkusConfig();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(aws, new TestInjector.AnnotatedAndMatchesType(InjectLocalAws.class,
                LocalAws.class));
    }

    @Override
    public void stop() {
        if (aws != null) {
            aws.close();
            aws = null;
        }
    }

    private static List<String> split(String csv) {
        return csv == null || csv.isBlank() ? List.of()
                : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
