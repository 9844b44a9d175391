package io.pushcore.send.support;

import java.util.HashMap;
import java.util.Map;

import io.pushcore.testing.aws.LocalAwsResource;

/**
 * S3/SQS stand-ins with the state bucket and the event queue created, {@code send.events.queue-url} pointing at
 * the queue. Init args: {@code buckets} (comma-separated; default the state bucket), {@code localstack=true} for
 * LocalStack in Docker, {@code missingQueue=true} to point at a queue that does not exist (every enqueue fails),
 * {@code stalledSqs=true} for an SQS endpoint that never answers.
 */
public class SendAws extends LocalAwsResource {

    public static final String STATE_BUCKET = "pushcore-state";
    public static final String QUEUE = "pushcore-events";

    private boolean missingQueue;

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(Map.of("buckets", initArgs.getOrDefault("buckets", STATE_BUCKET), "queues", QUEUE,
                "localstack", initArgs.getOrDefault("localstack", "false"),
                "stalledSqs", initArgs.getOrDefault("stalledSqs", "false")));
        missingQueue = Boolean.parseBoolean(initArgs.get("missingQueue"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        String url = queueUrl(QUEUE);
        config.put("send.events.queue-url", missingQueue ? url.replace(QUEUE, "pushcore-missing") : url);
        return config;
    }
}
