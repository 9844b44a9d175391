package io.pushcore.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.aggregator.support.TestConfig;
import io.pushcore.aggregator.support.WebhookReceiver;
import io.pushcore.crypto.CredentialCipher;
import io.pushcore.crypto.KeyRing;
import io.pushcore.model.Event;
import io.pushcore.queue.QueueCodec;
import io.pushcore.queue.QueueMessage;
import io.pushcore.route.BucketRoute;
import io.pushcore.route.Callback;
import io.pushcore.route.RouteCodec;
import io.pushcore.testing.aws.LocalAws;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The aggregator on a rotated webhook ring (key 0 old, key 3 new and active), without Quarkus, on in-process
 * ElasticMQ and s3proxy: callbacks sealed under either key deliver; one sealed under a retired key, and one sealed
 * under the credential key (which the aggregator no longer holds), are dead-lettered as {@code corrupt_route}.
 */
class WebhookKeyRotationTest {

    static final String STATE = "pushcore-state";
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final byte[] OLD = key(1);
    static final byte[] NEW = key(2);
    static final byte[] RETIRED = key(3);
    /** The test profile's credential key: send-function's, never the aggregator's. */
    static final byte[] CREDENTIAL_KEY = Base64.getDecoder().decode("RbTA8PFiwwW+lOL9lEf5p56pZUp7wjUj94Kptjbb4GI=");
    static LocalAws aws;
    static String queueUrl;
    static String deadLetterUrl;

    @BeforeAll
    static void start() {
        aws = LocalAws.startInProcess();
        aws.createBucket(STATE);
        queueUrl = aws.createQueue("webhook-keys-events");
        deadLetterUrl = aws.createQueue("webhook-keys-events-dlq");
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    @Test
    void callbacksSealedUnderAnyKeyOfTheRingDeliverAndOthersAreDeadLettered() throws Exception {
        AggregatorConfig config = TestConfig.aggregator(Map.of("aggregator.queue.url", queueUrl,
                "aggregator.dead-letter-queue-url", deadLetterUrl, "aggregator.flush.max-age", "0s",
                "aggregator.security.webhook-keys", "0:" + b64(OLD) + ",3:" + b64(NEW)));
        EventAggregator aggregator = PlainAggregator.on(aws.sqs(), aws.s3(), config, Clock.systemUTC(),
                new SimpleMeterRegistry());
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            UUID beforeRotation = bucket(KeyRing.of(OLD), receiver, "/old");
            UUID afterRotation = bucket(KeyRing.of(3, NEW), receiver, "/new");
            UUID retired = bucket(KeyRing.of(5, RETIRED), receiver, "/retired");
            UUID underCredentialKey = bucket(KeyRing.of(CREDENTIAL_KEY), receiver, "/credential");
            Map<UUID, List<Event>> events = new HashMap<>();
            for (UUID bucket : List.of(beforeRotation, afterRotation, retired, underCredentialKey)) {
                events.put(bucket, enqueue(bucket, 10));
            }

            AggregationReport report = aggregator.run(Duration.ofSeconds(15));

            assertThat(report.eventsDelivered()).isEqualTo(20);
            assertThat(report.eventsDeadLettered()).isEqualTo(20);
            assertThat(delivered(receiver, "/old"))
                    .containsExactlyInAnyOrderElementsOf(ids(events.get(beforeRotation)));
            assertThat(delivered(receiver, "/new"))
                    .containsExactlyInAnyOrderElementsOf(ids(events.get(afterRotation)));
            assertThat(receiver.requests("/retired")).isEmpty();
            assertThat(receiver.requests("/credential")).isEmpty();
            Map<String, Set<UUID>> deadByReason = new HashMap<>();
            for (Message m : deadLettered()) {
                deadByReason.computeIfAbsent(m.messageAttributes().get("pushcore-reason").stringValue(),
                        r -> new HashSet<>()).addAll(QueueCodec.decode(m.body()).events().stream()
                                .map(Event::bucketId).toList());
            }
            assertThat(deadByReason).containsOnly(Map.entry("corrupt_route", Set.of(retired, underCredentialKey)));
        }
    }

    UUID bucket(KeyRing sealedUnder, WebhookReceiver receiver, String path) {
        UUID bucketId = UUID.randomUUID();
        Callback callback = new Callback.Http(receiver.url(path), Map.of(), SECRET);
        aws.s3().putObject(r -> r.bucket(STATE).key(RouteCodec.bucketKey(bucketId)), RequestBody.fromBytes(
                RouteCodec.write(new BucketRoute(bucketId,
                        RouteCodec.sealCallback(new CredentialCipher(sealedUnder), bucketId, callback),
                        Instant.now().plus(Duration.ofDays(7)), null))));
        return bucketId;
    }

    List<Event> enqueue(UUID bucket, int count) {
        List<Event> events = EventAggregatorTest.sent(bucket, count);
        aws.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody(QueueCodec.encode(new QueueMessage.Events(
                events))));
        return events;
    }

    static List<Message> deadLettered() {
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.addAll(aws.sqs().receiveMessage(r -> r.queueUrl(deadLetterUrl).maxNumberOfMessages(10)
                    .messageAttributeNames("All").waitTimeSeconds(0)).messages());
        }
        return all;
    }

    static List<UUID> delivered(WebhookReceiver receiver, String path) {
        return receiver.requests(path).stream().flatMap(r -> EventAggregatorTest.messageIds(r).stream()).toList();
    }

    static List<UUID> ids(List<Event> events) {
        return events.stream().map(Event::messageId).toList();
    }

    static byte[] key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return key;
    }

    static String b64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }
}
