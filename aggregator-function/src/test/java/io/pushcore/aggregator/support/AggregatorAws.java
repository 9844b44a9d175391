package io.pushcore.aggregator.support;

import java.util.HashMap;
import java.util.Map;

import io.pushcore.testing.aws.LocalAwsResource;

/**
 * S3/SQS stand-ins with the state bucket, the event queue and its dead-letter queue, and the aggregator's URLs.
 * Init arg {@code localstack=true} uses LocalStack in Docker instead of the in-process servers.
 */
public class AggregatorAws extends LocalAwsResource {

    public static final String QUEUE = "pushcore-events";
    public static final String DLQ = "pushcore-events-dlq";
    public static final String STATE = "pushcore-state";

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(Map.of("queues", QUEUE + "," + DLQ, "buckets", STATE,
                "localstack", initArgs.getOrDefault("localstack", "false")));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("aggregator.queue.url", queueUrl(QUEUE));
        config.put("aggregator.dead-letter-queue-url", queueUrl(DLQ));
        return config;
    }
}
