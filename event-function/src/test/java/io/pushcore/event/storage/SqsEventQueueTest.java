package io.pushcore.event.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pushcore.event.config.EventConfig;
import io.pushcore.model.Event;
import io.pushcore.model.EventKind;
import io.pushcore.queue.QueueCodec;
import io.pushcore.testing.aws.LocalAws;
import io.pushcore.testing.aws.StalledEndpoint;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@link SqsEventQueue} against in-process ElasticMQ: how one SQS round treats its callers, and what a shut-down
 * sender or a stalled SQS does to the callers waiting for it.
 */
class SqsEventQueueTest {

    static LocalAws aws;
    static String queueUrl;

    @BeforeAll
    static void start() {
        aws = LocalAws.startInProcess();
        queueUrl = aws.createQueue("sqs-event-queue-test");
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    static EventConfig config(String url) {
        EventConfig.Queue queue = new EventConfig.Queue() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public int attempts() {
                return 2;
            }

            @Override
            public Duration retryBackoff() {
                return Duration.ofMillis(10);
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(2);
            }
        };
        return new EventConfig() {
            @Override
            public Queue queue() {
                return queue;
            }

            @Override
            public Security security() {
                return new Security() {
                    @Override
                    public Optional<String> messageIdKeys() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<Integer> messageIdKeysActive() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<String> messageIdKey() {
                        return Optional.of("unused");
                    }
                };
            }

            @Override
            public Body body() {
                return () -> 4096;
            }
        };
    }

    static Event delivered(String foreignId, Instant ts) {
        return Event.client(UUID.randomUUID(), UUID.randomUUID(), foreignId, EventKind.DELIVERED, null, ts);
    }

    static SqsEventQueue.Waiting caller(Event... events) {
        return new SqsEventQueue.Waiting(List.of(events), new CompletableFuture<>());
    }

    @Test
    void aCallerWhoseEventCannotBeEncodedFailsAloneAndTheRestOfItsRoundIsSent() {
        SqsEventQueue queue = new SqsEventQueue(aws.sqs(), config(queueUrl));
        Instant now = Instant.now();
        SqsEventQueue.Waiting first = caller(delivered("a", now));
        // Event itself allows any Instant; this one has no epoch milliseconds, so it cannot be written to the queue.
        SqsEventQueue.Waiting bad = caller(delivered("bad-1", now), delivered("bad-2",
                Instant.parse("+999999999-12-31T23:59:59Z")));
        SqsEventQueue.Waiting second = caller(delivered("b", now), delivered("c", now));
        SqsEventQueue.Waiting third = caller(delivered("d", now));

        queue.send(List.of(first, bad, second, third));

        assertThat(bad.sent()).isCompletedExceptionally();
        assertThatThrownBy(() -> bad.sent().join()).hasRootCauseInstanceOf(ArithmeticException.class);
        assertThat(List.of(first, second, third)).allSatisfy(w -> assertThat(w.sent()).isCompleted()
                .isNotCompletedExceptionally());
        List<List<Event>> messages = drain();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0)).extracting(Event::foreignId).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aShutDownSenderFailsEveryCallerAtOnceInsteadOfLeavingThemWaiting() {
        SqsEventQueue queue = new SqsEventQueue(aws.sqs(), config(queueUrl));
        queue.stop();

        CompletableFuture<Void> first = queue.enqueue(List.of(delivered("a", Instant.now())));
        CompletableFuture<Void> later = queue.enqueue(List.of(delivered("b", Instant.now())));

        for (CompletableFuture<Void> sent : List.of(first, later)) {
            assertThat(sent).isCompletedExceptionally();
            assertThatThrownBy(sent::join).hasCauseInstanceOf(EventQueue.Unavailable.class);
        }
        assertThat(drain()).isEmpty();
    }

    @Test
    void aStalledSqsFailsTheWaitingCallersAtTheTimeoutAndTheSenderGoesOn() throws Exception {
        try (StalledEndpoint stalled = StalledEndpoint.start();
                SqsClient sqs = SqsClient.builder().endpointOverride(stalled.uri()).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                        .httpClientBuilder(ApacheHttpClient.builder()).build()) {
            SqsEventQueue queue = new SqsEventQueue(sqs, config(queueUrl.replace(
                    URI.create(queueUrl).getAuthority(), stalled.uri().getAuthority())));

            CompletableFuture<Void> first = queue.enqueue(List.of(delivered("a", Instant.now())));
            CompletableFuture<Void> second = queue.enqueue(List.of(delivered("b", Instant.now())));

            // No SDK client timeout is set here: only the queue's own round timeout (2 s) ends the calls.
            for (CompletableFuture<Void> sent : List.of(first, second)) {
                assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(EventQueue.Unavailable.class);
            }
            assertThat(stalled.connections()).isPositive();
            queue.stop();
        }
    }

    /** The events of each SQS message on the queue, which is empty afterwards. */
    static List<List<Event>> drain() {
        List<List<Event>> bodies = new ArrayList<>();
        while (true) {
            List<Message> messages = aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            for (Message m : messages) {
                bodies.add(QueueCodec.decode(m.body()).events());
                aws.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }
}
