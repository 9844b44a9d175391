package io.pushcore.send.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.model.Event;
import io.pushcore.queue.QueueBatches;
import io.pushcore.send.config.SendConfig;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@link EventQueue} on SQS ({@code send.events.queue-url}): events packed by {@link QueueBatches}, one
 * {@code SendMessageBatch} per group; entries SQS reports failed, and calls that fail, are retried up to
 * {@code send.events.attempts} times in all.
 */
@ApplicationScoped
public class SqsEventQueue implements EventQueue {

    private static final Logger LOG = Logger.getLogger(SqsEventQueue.class);

    private final SqsClient sqs;
    private final SendConfig.Events config;
    private final MeterRegistry metrics;

    SqsEventQueue(SqsClient sqs, SendConfig config, MeterRegistry metrics) {
        this.sqs = sqs;
        this.config = config.events();
        this.metrics = metrics;
    }

    @Override
    public void enqueue(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        try {
            for (List<String> group : QueueBatches.of(events)) {
                send(group);
            }
        } catch (Unavailable e) {
            metrics.counter("pushcore.events.enqueued", "outcome", "unavailable").increment(events.size());
            throw e;
        }
        metrics.counter("pushcore.events.enqueued", "outcome", "ok").increment(events.size());
    }

    private void send(List<String> bodies) {
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i))
                    .build());
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= config.attempts(); attempt++) {
            if (attempt > 1) {
                pause(attempt);
            }
            try {
                List<SendMessageBatchRequestEntry> request = pending;
                SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(config.queueUrl())
                        .entries(request));
                if (!response.hasFailed() || response.failed().isEmpty()) {
                    return;
                }
                Set<String> failed = response.failed().stream().map(BatchResultErrorEntry::id)
                        .collect(Collectors.toSet());
                LOG.warnf("SQS refused %d of %d event messages (%s)", failed.size(), request.size(),
                        response.failed().get(0).code());
                pending = request.stream().filter(e -> failed.contains(e.id())).toList();
                last = new IllegalStateException("SQS refused entries: " + response.failed().get(0).code());
            } catch (SdkException e) {
                LOG.warnf("SQS send of events failed (attempt %d): %s", attempt, e.getClass().getSimpleName());
                last = e;
            }
        }
        throw new Unavailable("event queue unavailable", last);
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(config.retryBackoff().toMillis() << (attempt - 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while retrying the event queue", e);
        }
    }
}
