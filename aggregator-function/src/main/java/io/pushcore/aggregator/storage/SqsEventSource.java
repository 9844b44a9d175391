package io.pushcore.aggregator.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pushcore.aggregator.config.AggregatorConfig;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** {@link EventSource} on SQS: {@code aggregator.queue.url} and the dead-letter queue. */
@ApplicationScoped
public class SqsEventSource implements EventSource {

    private static final Logger LOG = Logger.getLogger(SqsEventSource.class);
    /** SQS limits: visibility at most 12 h, delay at most 15 min. */
    private static final long MAX_VISIBILITY_SECONDS = 43_200;
    private static final long MAX_DELAY_SECONDS = 900;
    private static final int PARALLEL_CALLS = 16;
    private static final int MAX_DETAIL = 256;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterUrl;
    private final int visibilitySeconds;

    public SqsEventSource(SqsClient sqs, AggregatorConfig config) {
        this.sqs = sqs;
        this.queueUrl = config.queue().url();
        this.deadLetterUrl = config.deadLetterQueueUrl().orElse(queueUrl + "-dlq");
        this.visibilitySeconds = (int) Math.max(1, config.queue().visibilityTimeout().toSeconds());
    }

    @Override
    public List<Received> receive() {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(1).visibilityTimeout(visibilitySeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
        List<Received> received = new ArrayList<>(messages.size());
        for (Message message : messages) {
            String sent = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
            received.add(new Received(message.receiptHandle(), message.body(),
                    sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent))));
        }
        return received;
    }

    @Override
    public void delete(Collection<String> receiptHandles) {
        List<String> handles = List.copyOf(receiptHandles);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore inFlight = new Semaphore(PARALLEL_CALLS);
            for (int from = 0; from < handles.size(); from += 10) {
                List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = from; i < Math.min(from + 10, handles.size()); i++) {
                    entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                            .receiptHandle(handles.get(i)).build());
                }
                inFlight.acquireUninterruptibly();
                pool.submit(() -> {
                    try {
                        deleteBatch(entries);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
    }

    private void deleteBatch(List<DeleteMessageBatchRequestEntry> entries) {
        try {
            var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (response.hasFailed() && !response.failed().isEmpty()) {
                LOG.warnf("SQS did not delete %d settled messages; they will be delivered again",
                        response.failed().size());
            }
        } catch (SdkException e) {
            LOG.warnf("SQS delete failed (%s); %d settled messages will be delivered again",
                    e.getClass().getSimpleName(), entries.size());
        }
    }

    @Override
    public void hide(String receiptHandle, Duration delay) {
        int seconds = (int) Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, ceilSeconds(delay)));
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle)
                    .visibilityTimeout(seconds));
        } catch (SdkException e) {
            LOG.warnf("SQS visibility change failed (%s); the message returns after the queue's timeout",
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public void send(String body, Duration delay) {
        int seconds = (int) Math.min(MAX_DELAY_SECONDS, Math.max(0, ceilSeconds(delay)));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).delaySeconds(seconds));
    }

    @Override
    public void deadLetter(String body, DeadLetterReason reason, String detail) {
        String text = detail == null || detail.isBlank() ? reason.wireName() : detail;
        sqs.sendMessage(b -> b.queueUrl(deadLetterUrl).messageBody(body).messageAttributes(Map.of(
                REASON_ATTRIBUTE, attribute(reason.wireName()),
                DETAIL_ATTRIBUTE, attribute(text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) : text))));
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static long ceilSeconds(Duration duration) {
        long millis = duration.toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }
}
