package io.pushcore.send.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * {@code send.events.attempts} times in all, all within {@code send.events.timeout}: each call's api-call timeout is
 * what is left of it (the client's own {@code quarkus.sqs.api-call-timeout} and {@code api-call-attempt-timeout}
 * bound calls without one), so a stalled SQS cannot hold the request past its Lambda timeout.
 */
@ApplicationScoped
public class SqsEventQueue implements EventQueue {

    private static final Logger LOG = Logger.getLogger(SqsEventQueue.class);
    // Less than this left of send.events.timeout: no call is started any more.
    private static final Duration MIN_CALL = Duration.ofMillis(50);

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
        long deadline = System.nanoTime() + config.timeout().toNanos();
        try {
            for (List<String> group : QueueBatches.of(events)) {
                send(group, deadline);
            }
        } catch (Unavailable e) {
            metrics.counter("pushcore.events.enqueued", "outcome", "unavailable").increment(events.size());
            throw e;
        }
        metrics.counter("pushcore.events.enqueued", "outcome", "ok").increment(events.size());
    }

    private void send(List<String> bodies, long deadline) {
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i))
                    .build());
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= config.attempts(); attempt++) {
            if (attempt > 1) {
                pause(attempt, deadline);
            }
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.compareTo(MIN_CALL) < 0) {
                last = last != null ? last : new IllegalStateException("send.events.timeout ran out");
                break;
            }
            try {
                List<SendMessageBatchRequestEntry> request = pending;
                SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(config.queueUrl())
                        .entries(request).overrideConfiguration(o -> o.apiCallTimeout(left)));
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

    private void pause(int attempt, long deadline) {
        long backoff = config.retryBackoff().toNanos() << (attempt - 2);
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(backoff, Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while retrying the event queue", e);
        }
    }
}
