package io.pushcore.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.pushcore.aggregator.support.AggregatorAws;
import io.pushcore.aggregator.support.InProcessAws;
import io.pushcore.aggregator.support.WebhookReceiver;
import io.pushcore.crypto.CredentialCipher;
import io.pushcore.model.Event;
import io.pushcore.model.EventKind;
import io.pushcore.queue.QueueBatches;
import io.pushcore.route.BucketRoute;
import io.pushcore.route.Callback;
import io.pushcore.route.RouteCodec;
import io.pushcore.testing.aws.InjectLocalAws;
import io.pushcore.testing.aws.LocalAws;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Measurement, not a test of speed: events per second drained from in-process ElasticMQ to a local signing-checked
 * webhook by one aggregator run, for send-function-style messages (about 1,000 events each) and for
 * event-function-style messages (one event each). Runs only with {@code -Dpushcore.measure=true}.
 */
@QuarkusTest
@TestProfile(InProcessAws.class)
@EnabledIfSystemProperty(named = "pushcore.measure", matches = "true")
class AggregatorThroughputTest {

    @InjectLocalAws
    LocalAws aws;

    @Inject
    EventAggregator aggregator;

    @Inject
    CredentialCipher cipher;

    @Test
    void measuresDrainRates() throws IOException {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            List<UUID> buckets = IntStream.range(0, 10).mapToObj(i -> bucket(receiver, "/hook" + i)).toList();
            measure("bulk messages (~1,000 events each)", buckets, 200_000, true, receiver);
            receiver.reset();
            measure("single-event messages", buckets, 20_000, false, receiver);
        }
    }

    void measure(String label, List<UUID> buckets, int count, boolean bulk, WebhookReceiver receiver) {
        String url = aws.sqs().getQueueUrl(b -> b.queueName(AggregatorAws.QUEUE)).queueUrl();
        List<List<String>> batches = new ArrayList<>();
        int perBucket = count / buckets.size();
        for (UUID bucket : buckets) {
            UUID context = UUID.randomUUID();
            List<Event> events = IntStream.range(0, perBucket).mapToObj(i -> Event.outcome(UUID.randomUUID(),
                    context, bucket, "receiver-" + i, EventKind.SENT, null, Instant.now())).toList();
            if (bulk) {
                batches.addAll(QueueBatches.of(events));
            } else {
                List<String> bodies = events.stream().map(e -> QueueBatches.of(List.of(e)).get(0).get(0)).toList();
                batches.addAll(QueueBatches.group(bodies, QueueBatches.DEFAULT_BUDGET_BYTES));
            }
        }
        List<Future<SendMessageBatchResponse>> sends = new ArrayList<>();
        Semaphore inFlight = new Semaphore(16);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (List<String> batch : batches) {
                inFlight.acquireUninterruptibly();
                sends.add(pool.submit(() -> {
                    try {
                        return aws.sqs().sendMessageBatch(b -> b.queueUrl(url).entries(IntStream
                                .range(0, batch.size()).mapToObj(i -> SendMessageBatchRequestEntry.builder()
                                        .id("e" + i).messageBody(batch.get(i)).build())
                                .toList()));
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        }
        assertThat(sends).allSatisfy(send -> assertThat(send.resultNow().failed()).isEmpty());

        long start = System.nanoTime();
        AggregationReport report = aggregator.run(Duration.ofSeconds(120));
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf("aggregator, %s: %d events in %d messages -> %d packages in %.2f s = %.0f events/s%n",
                label, report.events(), report.messages(), report.packagesDelivered(), seconds,
                report.eventsDelivered() / seconds);
        // SQS is at-least-once: a message whose receive answer was lost under load comes back only after its
        // visibility timeout, so the run may hold slightly fewer than were sent; it must account for what it held.
        assertThat(report.events()).isLessThanOrEqualTo(perBucket * buckets.size());
        assertThat(report.eventsDelivered() + report.eventsDeferred()).isEqualTo(report.events());
        assertThat(receiver.requests()).hasSize(report.packagesDelivered());
    }

    UUID bucket(WebhookReceiver receiver, String path) {
        UUID bucketId = UUID.randomUUID();
        Callback callback = new Callback.Http(receiver.url(path), Map.of("x-k", "v"),
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        aws.s3().putObject(b -> b.bucket(AggregatorAws.STATE).key(RouteCodec.bucketKey(bucketId)),
                RequestBody.fromBytes(RouteCodec.write(new BucketRoute(bucketId,
                        RouteCodec.sealCallback(cipher, bucketId, callback), Instant.now().plus(Duration.ofDays(7)),
                        null))));
        return bucketId;
    }
}
