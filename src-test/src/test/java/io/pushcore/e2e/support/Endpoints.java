package io.pushcore.e2e.support;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pushcore.local.LambdaFunction;
import io.pushcore.local.LocalRunner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The system under test. By default a {@link LocalRunner} on a random port running the packaged functions of this
 * reactor; with {@code -Dpushcore.e2e.base-url=https://...} (and {@code -Dpushcore.e2e.api-key=...}) a deployed
 * stage instead, whose functions must then be able to reach the tests' local push endpoints.
 */
public final class Endpoints implements AutoCloseable {

    private final URI baseUri;
    private final String apiKey;
    private final LocalRunner runner;

    private Endpoints(URI baseUri, String apiKey, LocalRunner runner) {
        this.baseUri = baseUri;
        this.apiKey = apiKey;
        this.runner = runner;
    }

    public static Endpoints start(Map<String, String> localEnvironment) throws Exception {
        return start(localEnvironment, LocalRunner.Settings.defaults(Path.of("")).scheduleInterval());
    }

    /** @param scheduleInterval how often the local runner triggers the aggregator */
    public static Endpoints start(Map<String, String> localEnvironment, Duration scheduleInterval) throws Exception {
        String deployed = System.getProperty("pushcore.e2e.base-url", "");
        if (!deployed.isBlank()) {
            return new Endpoints(URI.create(deployed.replaceAll("/+$", "")),
                    System.getProperty("pushcore.e2e.api-key", LocalRunner.DEV_API_KEY), null);
        }
        LocalRunner runner = LocalRunner.start(LocalRunner.Settings.defaults(Path.of("..").toAbsolutePath().normalize())
                .withApiPort(0).withInstances(Integer.getInteger("pushcore.e2e.instances", 1))
                .withEnvironment(localEnvironment).withScheduleInterval(scheduleInterval));
        return new Endpoints(URI.create("http://127.0.0.1:" + runner.apiPort()), LocalRunner.DEV_API_KEY, runner);
    }

    /** Root of the API, without {@code /v1}. */
    public URI baseUri() {
        return baseUri;
    }

    public String apiKey() {
        return apiKey;
    }

    /**
     * Events on the local event queue, visible, hidden (in flight or not yet due) and delayed: once this is 0, every
     * event produced so far has been delivered or dead-lettered. Only for the local runner.
     */
    public int queuedEvents() {
        return queued(LocalRunner.EVENT_QUEUE);
    }

    /** Events the local aggregator gave up on (its dead-letter queue). Only for the local runner. */
    public int deadLetteredEvents() {
        return queued(LocalRunner.EVENT_DLQ);
    }

    private int queued(String queue) {
        if (runner == null) {
            throw new IllegalStateException("the queues of a deployed stage are not visible to the tests");
        }
        SqsClient sqs = runner.aws().sqs();
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /**
     * Deploys {@code environment} over the local system's, replacing each function's processes in {@code order}
     * while S3 and SQS keep their state (see {@link LocalRunner#redeploy}). Only for the local runner.
     */
    public void redeploy(Map<String, String> environment, LambdaFunction... order) throws Exception {
        local().redeploy(environment, List.of(order));
    }

    /** The local runner's dashboard page ({@code /_local/}); its data is at {@code metrics} beside it. */
    public URI dashboardUri() {
        return local().dashboardUri();
    }

    /** An object of the local state bucket, as the functions stored it. Only for the local runner. */
    public byte[] stateObject(String key) {
        return local().aws().s3().getObjectAsBytes(b -> b.bucket(LocalRunner.STATE_BUCKET).key(key)).asByteArray();
    }

    private LocalRunner local() {
        if (runner == null) {
            throw new IllegalStateException("a deployed stage is not redeployed or read by the tests");
        }
        return runner;
    }

    public PushcoreClient client() {
        return new PushcoreClient(baseUri, apiKey);
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.close();
        }
    }
}
