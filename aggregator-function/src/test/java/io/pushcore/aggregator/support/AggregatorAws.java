package io.pushcore.aggregator.support;

import java.util.HashMap;
import java.util.Map;

import io.pushcore.testing.aws.LocalAws;
import io.pushcore.testing.aws.LocalAwsResource;

/**
 * S3/SQS stand-ins with the state bucket, the event queue and its dead-letter queue, and the aggregator's URLs.
 * Init arg {@code localstack=true} uses LocalStack in Docker instead of the in-process servers.
 */
public class AggregatorAws extends LocalAwsResource {

    public static final String QUEUE = "pushcore-events";
    public static final String DLQ = "pushcore-events-dlq";
    public static final String STATE = "pushcore-state";

    private boolean localStack;
    private LocalAws aws;

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(Map.of("queues", QUEUE + "," + DLQ, "buckets", STATE));
        localStack = Boolean.parseBoolean(initArgs.get("localstack"));
    }

    @Override
    protected LocalAws startServices() {
        aws = localStack ? LocalAws.startLocalStack() : LocalAws.startInProcess();
        return aws;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("aggregator.queue.url", aws.sqs().getQueueUrl(b -> b.queueName(QUEUE)).queueUrl());
        config.put("aggregator.dead-letter-queue-url", aws.sqs().getQueueUrl(b -> b.queueName(DLQ)).queueUrl());
        return config;
    }
}
