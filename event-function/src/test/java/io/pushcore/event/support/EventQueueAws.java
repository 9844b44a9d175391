package io.pushcore.event.support;

import java.util.HashMap;
import java.util.Map;

import io.pushcore.testing.aws.LocalAwsResource;

/**
 * S3/SQS stand-ins with the event queue created and {@code event.queue.url} pointing at it. Init args:
 * {@code localstack=true} for LocalStack in Docker, {@code missingQueue=true} to point at a queue that does not
 * exist (the queue is then unavailable), {@code stalledSqs=true} for an SQS endpoint that never answers.
 */
public class EventQueueAws extends LocalAwsResource {

    public static final String QUEUE = "pushcore-events";

    private boolean missingQueue;

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(Map.of("queues", QUEUE, "localstack", initArgs.getOrDefault("localstack", "false"),
                "stalledSqs", initArgs.getOrDefault("stalledSqs", "false")));
        missingQueue = Boolean.parseBoolean(initArgs.get("missingQueue"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        String url = queueUrl(QUEUE);
        config.put("event.queue.url", missingQueue ? url.replace(QUEUE, "pushcore-missing") : url);
        return config;
    }
}
