package io.pushcore.event.storage;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pushcore.event.config.EventConfig;
import io.pushcore.model.Event;
import io.pushcore.queue.QueueBatches;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@link EventQueue} on SQS ({@code event.queue.url}): events packed by {@link QueueBatches}, sent with
 * {@code SendMessageBatch}; entries SQS reports failed, and calls that fail, are retried up to
 * {@code event.queue.attempts} times in all.
 */
@ApplicationScoped
public class SqsEventQueue implements EventQueue {

    private static final Logger LOG = Logger.getLogger(SqsEventQueue.class);

    private final SqsClient sqs;
    private final EventConfig config;

    SqsEventQueue(SqsClient sqs, EventConfig config) {
        this.sqs = sqs;
        this.config = config;
    }

    @Override
    public void enqueue(List<Event> events) {
        for (List<String> batch : QueueBatches.of(events)) {
            send(batch);
        }
    }

    private void send(List<String> bodies) {
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i))
                    .build());
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= config.queue().attempts(); attempt++) {
            if (attempt > 1) {
                pause();
            }
            try {
                List<SendMessageBatchRequestEntry> request = pending;
                SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(config.queue().url())
                        .entries(request));
                if (!response.hasFailed() || response.failed().isEmpty()) {
                    return;
                }
                var failedIds = response.failed().stream().map(f -> f.id()).toList();
                LOG.warnf("SQS refused %d of %d entries (%s)", failedIds.size(), request.size(),
                        response.failed().get(0).code());
                pending = request.stream().filter(e -> failedIds.contains(e.id())).toList();
                last = new IllegalStateException("SQS refused entries: " + response.failed().get(0).code());
            } catch (SdkException e) {
                LOG.warnf("SQS send failed (attempt %d): %s", attempt, e.getClass().getSimpleName());
                last = e;
            }
        }
        throw new Unavailable("event queue unavailable", last);
    }

    private void pause() {
        try {
            Thread.sleep(config.queue().retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while retrying the event queue", e);
        }
    }
}
