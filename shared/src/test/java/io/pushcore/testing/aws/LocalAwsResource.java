package io.pushcore.testing.aws;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource that starts {@link LocalAws} (in process, or LocalStack in Docker with the init arg
 * {@code localstack=true}), creates the S3 buckets and SQS queues named by the init args {@code buckets} and
 * {@code queues} (comma-separated), and points {@code quarkus.s3.*} and {@code quarkus.sqs.*} at it. Test fields
 * annotated {@link InjectLocalAws} receive the running instance. With the init arg {@code stalledSqs=true} the
 * functions' SQS client goes to a {@link StalledEndpoint} instead (the queues still exist on the stand-in, so their
 * URLs are valid). Modules extend it to add their own keys.
 */
public class LocalAwsResource implements QuarkusTestResourceLifecycleManager {

    private List<String> buckets = List.of();
    private List<String> queues = List.of();
    private boolean localStack;
    private boolean stalledSqs;
    private LocalAws aws;
    private StalledEndpoint stalled;

    @Override
    public void init(Map<String, String> initArgs) {
        buckets = split(initArgs.get("buckets"));
        queues = split(initArgs.get("queues"));
        localStack = Boolean.parseBoolean(initArgs.get("localstack"));
        stalledSqs = Boolean.parseBoolean(initArgs.get("stalledSqs"));
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
        Map<String, String> config = new HashMap<>(aws.quarkusConfig());
        if (stalledSqs) {
            stalled = StalledEndpoint.start();
            config.put("quarkus.sqs.endpoint-override", stalled.uri().toString());
        }
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(aws, new TestInjector.AnnotatedAndMatchesType(InjectLocalAws.class,
                LocalAws.class));
    }

    @Override
    public void stop() {
        if (stalled != null) {
            stalled.close();
            stalled = null;
        }
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
