package io.pushcore.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.aggregator.config.AggregatorProducer;
import io.pushcore.aggregator.support.StallingWebhook;
import io.pushcore.aggregator.support.TestConfig;
import io.pushcore.aggregator.support.WebhookReceiver;
import io.pushcore.crypto.CredentialCipher;
import io.pushcore.model.Event;
import io.pushcore.queue.QueueCodec;
import io.pushcore.queue.QueueMessage;
import io.pushcore.route.BucketRoute;
import io.pushcore.route.Callback;
import io.pushcore.route.RouteCodec;
import io.pushcore.testing.aws.LocalAws;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Delete as you settle, without Quarkus, on in-process ElasticMQ and s3proxy: while tenant A's webhook holds its
 * attempts until they are cut near the run's deadline, tenant B's messages are already gone from the queue, and B
 * gets each event exactly once across two runs; A's events arrive once A heals.
 */
class StalledTenantTest {

    static final String STATE = "pushcore-state";
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static LocalAws aws;
    static String queueUrl;
    static String deadLetterUrl;

    @BeforeAll
    static void start() {
        aws = LocalAws.startInProcess();
        aws.createBucket(STATE);
        queueUrl = aws.createQueue("stalled-tenant-events");
        deadLetterUrl = aws.createQueue("stalled-tenant-events-dlq");
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    @Test
    void deletesAHealthyTenantsMessagesWhileAStalledTenantHoldsTheRun() throws Exception {
        // A's attempt (10 s) is cut at its deadline, which is close to the run's (15 s less the 2 s margin)
        AggregatorConfig config = TestConfig.aggregator(Map.of("aggregator.queue.url", queueUrl,
                "aggregator.dead-letter-queue-url", deadLetterUrl, "aggregator.flush.max-age", "0s",
                "aggregator.flush.max-events", "100", "aggregator.webhook.timeout", "10s",
                "aggregator.retry.initial-backoff", "200ms", "aggregator.queue.visibility-timeout", "60s"));
        Clock clock = Clock.systemUTC();
        EventAggregator aggregator = PlainAggregator.on(aws.sqs(), aws.s3(), config, clock, new SimpleMeterRegistry());
        try (StallingWebhook a = new StallingWebhook(StallingWebhook.Mode.SILENT);
                WebhookReceiver b = new WebhookReceiver()) {
            UUID bucketA = bucket(config, new Callback.Http(a.url(), Map.of(), SECRET));
            UUID bucketB = bucket(config, new Callback.Http(b.url("/b"), Map.of(), SECRET));
            List<Event> forB = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                forB.addAll(enqueue(bucketB, 200));
            }
            enqueue(bucketA, 200);
            enqueue(bucketA, 200);

            // on its own platform thread, as the Lambda runs it: not in the common pool, which the JDK HttpClient
            // also uses (a run blocking the pool's only worker on a 2-core machine would starve the deliveries)
            FutureTask<AggregationReport> first = new FutureTask<>(() -> aggregator.run(Duration.ofSeconds(15)));
            Thread.ofPlatform().start(first);

            awaitOrFail(() -> delivered(b).size() == 1000, "B's events arrive");
            awaitOrFail(() -> queued() == 2, "only A's two messages left on the queue");
            assertThat(first).as("the run still holds A's attempts").isNotDone();
            AggregationReport report = first.get();
            assertThat(report.elapsedMillis()).isLessThanOrEqualTo(report.budgetMillis());
            assertThat(report.packagesDelivered()).isEqualTo(10);
            assertThat(report.packagesRetrying()).as("A's four packages wait on the queue").isEqualTo(4);
            assertThat(queued()).as("A's messages replaced by its pending packages").isEqualTo(4);

            a.heal();
            Thread.sleep(1_500);
            AggregationReport second = aggregator.run(Duration.ofSeconds(15));

            assertThat(second.packagesDelivered()).isEqualTo(4);
            assertThat(a.accepted()).isEqualTo(4);
            assertThat(delivered(b)).as("each of B's events exactly once across both runs")
                    .containsExactlyInAnyOrderElementsOf(forB.stream().map(Event::messageId).toList());
            assertThat(queued()).isZero();
        }
    }

    List<Event> enqueue(UUID bucket, int count) {
        List<Event> events = EventAggregatorTest.sent(bucket, count);
        aws.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody(QueueCodec.encode(new QueueMessage.Events(
                events))));
        return events;
    }

    UUID bucket(AggregatorConfig config, Callback callback) {
        CredentialCipher cipher = AggregatorProducer.webhookCipher(config);
        UUID bucketId = UUID.randomUUID();
        aws.s3().putObject(r -> r.bucket(STATE).key(RouteCodec.bucketKey(bucketId)), RequestBody.fromBytes(
                RouteCodec.write(new BucketRoute(bucketId, RouteCodec.sealCallback(cipher, bucketId, callback),
                        Instant.now().plus(Duration.ofDays(7)), null))));
        return bucketId;
    }

    static List<UUID> delivered(WebhookReceiver receiver) {
        return receiver.requests().stream().flatMap(r -> EventAggregatorTest.messageIds(r).stream()).toList();
    }

    static int queued() {
        return aws.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed")).attributesAsStrings().values().stream()
                .mapToInt(Integer::parseInt).sum();
    }

    static void awaitOrFail(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 8 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
