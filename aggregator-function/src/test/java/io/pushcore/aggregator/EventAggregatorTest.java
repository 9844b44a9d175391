package io.pushcore.aggregator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.aggregator.support.AggregatorAws;
import io.pushcore.aggregator.support.InProcessAws;
import io.pushcore.aggregator.support.StallingWebhook;
import io.pushcore.aggregator.support.TestClock;
import io.pushcore.aggregator.support.WebhookReceiver;
import io.pushcore.aggregator.support.WebhookReceiver.Reply;
import io.pushcore.crypto.CredentialCipher;
import io.pushcore.model.Event;
import io.pushcore.model.EventKind;
import io.pushcore.queue.QueueBatches;
import io.pushcore.queue.QueueCodec;
import io.pushcore.queue.QueueMessage;
import io.pushcore.route.BucketRoute;
import io.pushcore.route.Callback;
import io.pushcore.route.ContextRoute;
import io.pushcore.route.RouteCodec;
import io.pushcore.testing.aws.InjectLocalAws;
import io.pushcore.testing.aws.LocalAws;
import io.pushcore.webhook.WebhookSigner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The aggregator against in-process SQS/S3 and a local webhook receiver that checks signatures: batching by count
 * and age, grouping per bucket, retries with a stable webhook-id, 410, none-callbacks, slow and dead webhooks, and
 * the dead-letter queue after the give-up time; webhooks that stall before or after their headers or drip their body
 * (plain sockets), and every reason an event is dead-lettered.
 */
@QuarkusTest
@TestProfile(InProcessAws.class)
class EventAggregatorTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String SECRET_B = "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3";
    static final ObjectMapper JSON = new ObjectMapper();
    static WebhookReceiver receiver;

    @InjectLocalAws
    LocalAws aws;

    @Inject
    EventAggregator aggregator;

    @Inject
    CredentialCipher cipher;

    @Inject
    TestClock clock;

    @Inject
    MeterRegistry metrics;

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void reset() {
        receiver.reset();
        clock.reset();
        drain(AggregatorAws.QUEUE);
        drain(AggregatorAws.DLQ);
    }

    @Test
    void deliversAFullPackageAtOnceSignedWithTheBucketsHeaders() {
        UUID bucket = bucket(new Callback.Http(receiver.url("/full"), Map.of("x-secret", "s3cr3t"), SECRET));
        List<Event> events = sent(bucket, 1000);
        enqueue(events);

        AggregationReport report = run();

        assertThat(report.packagesDelivered()).isEqualTo(1);
        assertThat(report.eventsDelivered()).isEqualTo(1000);
        List<WebhookReceiver.Request> requests = receiver.requests("/full");
        assertThat(requests).hasSize(1);
        WebhookReceiver.Request request = requests.get(0);
        assertThat(request.headers()).containsEntry("x-secret", "s3cr3t")
                .containsEntry("content-type", "application/json");
        assertSigned(request);
        assertThat(messageIds(request)).containsExactlyElementsOf(events.stream().map(Event::messageId).toList());
        assertThat(queued(AggregatorAws.QUEUE)).isZero();
    }

    @Test
    void writesExactlyTheCoreBody() throws IOException {
        UUID bucket = bucket(new Callback.Http(receiver.url("/body"), Map.of(), null));
        UUID context = UUID.randomUUID();
        UUID m1 = UUID.randomUUID();
        UUID m2 = UUID.randomUUID();
        Instant ts = Instant.ofEpochMilli(1_685_009_020_243L);
        List<Event> events = new ArrayList<>(List.of(
                Event.outcome(m1, context, bucket, "user-1", EventKind.FAILED, "PROVIDER_REJECTED: bad", ts),
                Event.outcome(m2, context, bucket, null, EventKind.SENT, null, ts)));
        events.addAll(sent(bucket, 998));
        enqueue(events);

        run();

        WebhookReceiver.Request request = receiver.requests("/body").get(0);
        assertThat(request.headers()).containsKey("webhook-id").containsKey("webhook-timestamp")
                .doesNotContainKey("webhook-signature");
        JsonNode messages = JSON.readTree(request.body()).get("messages");
        assertThat(JSON.readTree(request.body()).size()).isEqualTo(1);
        assertThat(messages.get(0).toString()).isEqualTo("{\"messageId\":\"" + m1
                + "\",\"foreignId\":\"user-1\",\"result\":{\"kind\":\"failed\",\"reason\":\"PROVIDER_REJECTED: bad\"},"
                + "\"ts\":1685009020243}");
        assertThat(messages.get(1).toString()).isEqualTo("{\"messageId\":\"" + m2
                + "\",\"result\":{\"kind\":\"sent\"},\"ts\":1685009020243}");
    }

    @Test
    void holdsASmallPackageUntilItsOldestEventIsDueThenDeliversIt() throws Exception {
        UUID bucket = bucket(new Callback.Http(receiver.url("/age"), Map.of(), SECRET));
        UUID context = context(bucket);
        List<Event> clicks = IntStream.range(0, 3).mapToObj(i -> Event.client(UUID.randomUUID(), context, "f" + i,
                EventKind.CLICKED, "default", Instant.now())).toList();
        clicks.forEach(click -> enqueue(List.of(click)));

        AggregationReport early = run();

        assertThat(early.eventsDeferred()).isEqualTo(3);
        assertThat(receiver.requests("/age")).isEmpty();

        Thread.sleep(2_500);
        AggregationReport due = run();

        assertThat(due.eventsDelivered()).isEqualTo(3);
        List<WebhookReceiver.Request> requests = receiver.requests("/age");
        assertThat(requests).hasSize(1);
        assertSigned(requests.get(0));
        assertThat(messageIds(requests.get(0))).containsExactlyInAnyOrderElementsOf(
                clicks.stream().map(Event::messageId).toList());
        assertThat(JSON.readTree(requests.get(0).body()).at("/messages/0/result/action").asText())
                .isEqualTo("default");
        assertThat(queued(AggregatorAws.QUEUE)).isZero();
    }

    @Test
    void sendsFullPackagesNowAndTheRestWhenDue() throws Exception {
        UUID bucket = bucket(new Callback.Http(receiver.url("/split"), Map.of(), SECRET));
        List<Event> events = sent(bucket, 2500);
        enqueue(events);

        AggregationReport first = run();

        assertThat(first.packagesDelivered()).isEqualTo(2);
        assertThat(first.eventsDeferred()).isEqualTo(500);
        Thread.sleep(2_500);
        run();

        List<WebhookReceiver.Request> requests = receiver.requests("/split");
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(r -> messageIds(r).size()).containsExactly(1000, 1000, 500);
        assertThat(requests.stream().flatMap(r -> messageIds(r).stream()))
                .containsExactlyInAnyOrderElementsOf(events.stream().map(Event::messageId).toList());
        assertThat(queued(AggregatorAws.QUEUE)).isZero();
    }

    @Test
    void groupsEventsPerBucket() {
        UUID a = bucket(new Callback.Http(receiver.url("/a"), Map.of(), SECRET));
        UUID b = bucket(new Callback.Http(receiver.url("/b"), Map.of(), SECRET_B));
        List<Event> forA = sent(a, 1000);
        List<Event> forB = sent(b, 1000);
        List<Event> mixed = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            mixed.add(forA.get(i));
            mixed.add(forB.get(i));
        }
        enqueue(mixed);

        run();

        assertThat(receiver.requests("/a")).singleElement()
                .satisfies(r -> assertThat(messageIds(r)).containsExactlyInAnyOrderElementsOf(ids(forA)));
        assertThat(receiver.requests("/b")).singleElement()
                .satisfies(r -> assertThat(messageIds(r)).containsExactlyInAnyOrderElementsOf(ids(forB)));
        assertThat(new WebhookSigner(SECRET_B).verify(receiver.requests("/b").get(0).headers().get("webhook-id"),
                Long.parseLong(receiver.requests("/b").get(0).headers().get("webhook-timestamp")),
                receiver.requests("/b").get(0).body(), receiver.requests("/b").get(0).headers().get("webhook-signature")))
                .isTrue();
    }

    @Test
    void retriesAFailedPackageWithTheSameWebhookIdAndLosesNoEvent() throws Exception {
        UUID bucket = bucket(new Callback.Http(receiver.url("/flaky"), Map.of(), SECRET));
        receiver.script("/flaky", attempt -> Reply.status(attempt <= 2 ? 500 : 200));
        List<Event> events = sent(bucket, 1000);
        enqueue(events);

        assertThat(run().packagesRetrying()).isEqualTo(1);
        runUntil(() -> receiver.requests("/flaky").size() >= 3);

        List<WebhookReceiver.Request> requests = receiver.requests("/flaky");
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(r -> r.headers().get("webhook-id")).containsOnly(
                requests.get(0).headers().get("webhook-id"));
        requests.forEach(this::assertSigned);
        assertThat(messageIds(requests.get(2))).containsExactlyElementsOf(ids(events));
        assertThat(queued(AggregatorAws.QUEUE)).isZero();
        assertThat(queued(AggregatorAws.DLQ)).isZero();
    }

    @Test
    void waitsAsLongAsRetryAfterSaysOn429() throws Exception {
        UUID bucket = bucket(new Callback.Http(receiver.url("/busy"), Map.of(), SECRET));
        receiver.script("/busy", attempt -> attempt == 1 ? new Reply(429, Map.of("retry-after", "3"), 0)
                : Reply.status(200));
        enqueue(sent(bucket, 1000));

        run();
        run();

        assertThat(receiver.requests("/busy")).hasSize(1);
        runUntil(() -> receiver.requests("/busy").size() >= 2);
        assertThat(receiver.requests("/busy")).hasSize(2);
    }

    @Test
    void disablesTheWebhookWhenItAnswers410() {
        UUID bucket = bucket(new Callback.Http(receiver.url("/gone"), Map.of(), SECRET));
        receiver.script("/gone", attempt -> Reply.status(410));
        enqueue(sent(bucket, 1000));

        run();
        enqueue(sent(bucket, 1000));
        AggregationReport after = run();

        assertThat(receiver.requests("/gone")).hasSize(1);
        assertThat(after.eventsDeadLettered()).isEqualTo(1000);
        assertThat(deadLetterReasons()).containsOnly("webhook_gone").hasSizeGreaterThanOrEqualTo(2);
        assertThat(RouteCodec.readBucket(aws.s3().getObjectAsBytes(b -> b.bucket(AggregatorAws.STATE)
                .key(RouteCodec.bucketKey(bucket))).asByteArray()).disabledAt()).isNotNull();
        assertThat(queued(AggregatorAws.QUEUE)).isZero();
    }

    @Test
    void countsAndDropsEventsOfBucketsWithoutCallbackAndUnroutableEvents() {
        UUID none = bucket(new Callback.None());
        double before = metrics.counter("pushcore.aggregator.events", "outcome", "dropped_none").count();
        enqueue(sent(none, 10));
        enqueue(List.of(Event.client(UUID.randomUUID(), UUID.randomUUID(), null, EventKind.DELIVERED, null,
                Instant.now())));

        AggregationReport report = run();

        assertThat(report.eventsDropped()).isEqualTo(10);
        assertThat(report.eventsDeadLettered()).isEqualTo(1);
        assertThat(deadLetterReasons()).containsExactly("route_missing");
        assertThat(metrics.counter("pushcore.aggregator.events", "outcome", "dropped_none").count() - before)
                .isEqualTo(10);
        assertThat(receiver.requests()).isEmpty();
        assertThat(queued(AggregatorAws.QUEUE)).isZero();
    }

    @Test
    void deadLettersEventsOfAWebhookWhoseSecretCannotBeUsed() {
        UUID bucket = bucket(new Callback.Http(receiver.url("/badsecret"), Map.of(), "whsec_not base64!"));
        enqueue(sent(bucket, 1000));

        AggregationReport report = run();

        assertThat(report.eventsDeadLettered()).isEqualTo(1000);
        assertThat(deadLetterReasons()).containsOnly("malformed_webhook");
        assertThat(receiver.requests()).isEmpty();
        assertThat(queued(AggregatorAws.QUEUE)).isZero();
    }

    @Test
    void aSlowAndADeadWebhookDoNotHoldUpTheOthers() {
        UUID slow = bucket(new Callback.Http(receiver.url("/slow"), Map.of(), SECRET));
        UUID dead = bucket(new Callback.Http(URI.create("http://127.0.0.1:9/dead"), Map.of(), SECRET));
        UUID fine = bucket(new Callback.Http(receiver.url("/fine"), Map.of(), SECRET));
        receiver.script("/slow", attempt -> new Reply(200, Map.of(), 4_000));
        List<Event> forFine = sent(fine, 1000);
        enqueue(sent(slow, 1000));
        enqueue(sent(dead, 1000));
        enqueue(forFine);

        AggregationReport report = run();

        assertThat(report.packagesDelivered()).isEqualTo(1);
        assertThat(report.packagesRetrying()).isEqualTo(2);
        assertThat(receiver.requests("/fine")).singleElement()
                .satisfies(r -> assertThat(messageIds(r)).containsExactlyElementsOf(ids(forFine)));
        assertThat(receiver.requests("/slow")).hasSize(1);
        assertThat(pending(AggregatorAws.QUEUE)).extracting(p -> p.bucketId()).containsExactlyInAnyOrder(slow, dead);
    }

    @Test
    void deadLettersAPackageThatStillFailsAfterTheGiveUpTime() throws Exception {
        UUID bucket = bucket(new Callback.Http(receiver.url("/down"), Map.of(), SECRET));
        receiver.script("/down", attempt -> Reply.status(503));
        double before = metrics.counter("pushcore.aggregator.events", "outcome", "dead_lettered").count();
        List<Event> events = sent(bucket, 5);
        enqueue(events);
        clock.advance(Duration.ofSeconds(3));

        assertThat(run().packagesRetrying()).isEqualTo(1);
        clock.advance(Duration.ofHours(25));
        runUntil(() -> queued(AggregatorAws.DLQ) > 0);

        List<QueueMessage.PendingPackage> dead = pending(AggregatorAws.DLQ);
        assertThat(dead).singleElement().satisfies(p -> {
            assertThat(p.webhookId()).isEqualTo(receiver.requests("/down").get(0).headers().get("webhook-id"));
            assertThat(ids(p.events())).containsExactlyElementsOf(ids(events));
            // past give-up when it came back: dead-lettered without another attempt
            assertThat(p.attempts()).isEqualTo(1);
        });
        assertThat(metrics.counter("pushcore.aggregator.events", "outcome", "dead_lettered").count() - before)
                .isEqualTo(5);
        assertThat(queued(AggregatorAws.QUEUE)).isZero();
    }

    @Test
    void movesMalformedMessagesToTheDeadLetterQueue() {
        String url = queueUrl(AggregatorAws.QUEUE);
        aws.sqs().sendMessage(b -> b.queueUrl(url).messageBody("{\"not\":\"ours\"}"));

        run();

        assertThat(queued(AggregatorAws.QUEUE)).isZero();
        List<Message> dead = drainWithAttributes(AggregatorAws.DLQ);
        assertThat(dead).extracting(Message::body).containsExactly("{\"not\":\"ours\"}");
        assertThat(dead.get(0).messageAttributes().get("pushcore-reason").stringValue()).isEqualTo("poison_message");
    }

    @Test
    void aStalledTenantNeitherHoldsTheRunNorDelaysOrDuplicatesAnotherTenant() throws Exception {
        try (StallingWebhook headersThenStall = new StallingWebhook(StallingWebhook.Mode.HEADERS_THEN_STALL);
                StallingWebhook drip = new StallingWebhook(StallingWebhook.Mode.DRIP);
                StallingWebhook silent = new StallingWebhook(StallingWebhook.Mode.SILENT)) {
            List<StallingWebhook> stalled = List.of(headersThenStall, drip, silent);
            UUID healthy = bucket(new Callback.Http(receiver.url("/healthy"), Map.of(), SECRET));
            List<Event> forHealthy = new ArrayList<>();
            // tenants' events interleaved in the same queue messages, as event-function batches them
            List<Event> mixed = new ArrayList<>();
            for (StallingWebhook webhook : stalled) {
                UUID bucket = bucket(new Callback.Http(webhook.url(), Map.of(), SECRET));
                List<Event> theirs = sent(bucket, 1000);
                List<Event> ours = sent(healthy, 1000);
                forHealthy.addAll(ours);
                for (int i = 0; i < 1000; i++) {
                    mixed.add(theirs.get(i));
                    mixed.add(ours.get(i));
                }
            }
            enqueue(mixed);

            AggregationReport first = run();
            AggregationReport second = run();

            assertThat(first.elapsedMillis()).as("run within its budget").isLessThanOrEqualTo(first.budgetMillis());
            assertThat(second.elapsedMillis()).isLessThanOrEqualTo(second.budgetMillis());
            List<UUID> arrived = receiver.requests("/healthy").stream().flatMap(r -> messageIds(r).stream())
                    .toList();
            assertThat(arrived).as("every healthy event exactly once").containsExactlyInAnyOrderElementsOf(
                    ids(forHealthy));
            // a 200 status counts as accepted even when the body then stalls or drips (the attempt is cut at its
            // deadline); the silent webhook's package waits on the queue
            assertThat(first.packagesDelivered()).isEqualTo(5);
            assertThat(first.packagesRetrying()).isEqualTo(1);

            stalled.forEach(StallingWebhook::heal);
            runUntil(() -> silent.accepted() >= 1 && queued(AggregatorAws.QUEUE) == 0);
            assertThat(silent.accepted()).isEqualTo(1);
            assertThat(headersThenStall.accepted() + drip.accepted()).as("not delivered again").isZero();
            assertThat(queued(AggregatorAws.DLQ)).isZero();
            assertThat(receiver.requests("/healthy").stream().mapToInt(r -> messageIds(r).size()).sum())
                    .isEqualTo(3000);
        }
    }

    @Test
    void aWebhookThatNeverAnswersHasItsEventsDeadLetteredAfterTheGiveUpTimeWhileAnotherTenantsArriveOnce()
            throws Exception {
        try (StallingWebhook silent = new StallingWebhook(StallingWebhook.Mode.SILENT)) {
            UUID stalled = bucket(new Callback.Http(silent.url(), Map.of(), SECRET));
            UUID healthy = bucket(new Callback.Http(receiver.url("/healthy-b"), Map.of(), SECRET_B));
            List<Event> forStalled = sent(stalled, 1000);
            List<Event> forHealthy = sent(healthy, 1000);
            enqueue(forStalled);
            enqueue(forHealthy);
            List<AggregationReport> runs = new ArrayList<>();

            runs.add(run());
            clock.advance(Duration.ofHours(25));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (queued(AggregatorAws.DLQ) == 0) {
                assertThat(System.nanoTime()).as("dead-lettered within 20 s").isLessThan(deadline);
                Thread.sleep(300);
                runs.add(run());
            }

            assertThat(runs).allSatisfy(r -> assertThat(r.elapsedMillis()).isLessThanOrEqualTo(r.budgetMillis()));
            assertThat(receiver.requests("/healthy-b").stream().flatMap(r -> messageIds(r).stream()).toList())
                    .as("the healthy tenant's events exactly once").containsExactlyInAnyOrderElementsOf(
                            ids(forHealthy));
            List<Message> dead = drainWithAttributes(AggregatorAws.DLQ);
            assertThat(dead).singleElement().satisfies(m -> {
                assertThat(m.messageAttributes().get("pushcore-reason").stringValue()).isEqualTo("gave_up");
                assertThat(ids(QueueCodec.decode(m.body()).events())).containsExactlyElementsOf(ids(forStalled));
            });
            assertThat(silent.accepted()).isZero();
            assertThat(queued(AggregatorAws.QUEUE)).isZero();
        }
    }

    @Test
    void eachUndeliverableBucketIsDeadLetteredWithItsReasonAndTheOthersArrive() {
        UUID corrupt = UUID.randomUUID();
        aws.s3().putObject(b -> b.bucket(AggregatorAws.STATE).key(RouteCodec.bucketKey(corrupt)),
                RequestBody.fromString("{\"bucketId\": 42"));
        UUID missing = UUID.randomUUID();
        UUID refused = bucket(new Callback.Http(URI.create("ftp://127.0.0.1/hook"), Map.of(), SECRET));
        UUID gone = bucket(new Callback.Http(receiver.url("/gone410"), Map.of(), SECRET));
        receiver.script("/gone410", attempt -> Reply.status(410));
        UUID fine = bucket(new Callback.Http(receiver.url("/fine2"), Map.of(), SECRET));
        List<Event> forFine = sent(fine, 1000);
        List<Event> all = new ArrayList<>(forFine);
        for (UUID bad : List.of(corrupt, missing, refused, gone)) {
            all.addAll(sent(bad, 1000));
        }
        enqueue(all);

        AggregationReport report = run();

        assertThat(receiver.requests("/fine2")).singleElement()
                .satisfies(r -> assertThat(messageIds(r)).containsExactlyElementsOf(ids(forFine)));
        assertThat(report.eventsDeadLettered()).isEqualTo(4000);
        Map<String, java.util.Set<UUID>> byReason = new java.util.TreeMap<>();
        for (Message m : drainWithAttributes(AggregatorAws.DLQ)) {
            byReason.computeIfAbsent(m.messageAttributes().get("pushcore-reason").stringValue(),
                    r -> new java.util.HashSet<>()).addAll(QueueCodec.decode(m.body()).events().stream()
                            .map(Event::bucketId).toList());
        }
        assertThat(byReason).containsOnly(Map.entry("corrupt_route", java.util.Set.of(corrupt)),
                Map.entry("route_missing", java.util.Set.of(missing)),
                Map.entry("refused_by_policy", java.util.Set.of(refused)),
                Map.entry("webhook_gone", java.util.Set.of(gone)));
        assertThat(queued(AggregatorAws.QUEUE)).isZero();
    }

    @Test
    void aRetryAfterOfTenDaysIsClampedToTheMaximumBackoff() throws Exception {
        UUID bucket = bucket(new Callback.Http(receiver.url("/later"), Map.of(), SECRET));
        receiver.script("/later", attempt -> attempt == 1 ? new Reply(503, Map.of("retry-after", "864000"), 0)
                : Reply.status(200));
        enqueue(sent(bucket, 1000));
        Instant before = clock.instant();

        run();

        assertThat(pending(AggregatorAws.QUEUE)).singleElement().satisfies(p -> assertThat(p.notBefore())
                .isBefore(before.plus(Duration.ofMinutes(1))));
        runUntil(() -> receiver.requests("/later").size() >= 2);
        assertThat(queued(AggregatorAws.DLQ)).isZero();
    }

    @Test
    void theLambdaHandlerRunsOnAnEventBridgeScheduledEvent() {
        UUID bucket = bucket(new Callback.Http(receiver.url("/lambda"), Map.of(), SECRET));
        enqueue(sent(bucket, 1000));
        String scheduledEvent = """
                {"version":"0","id":"%s","detail-type":"Scheduled Event","source":"aws.events",
                 "account":"123456789012","time":"2026-01-01T00:00:00Z","region":"us-east-1",
                 "resources":["arn:aws:events:us-east-1:123456789012:rule/pushcore-aggregator-schedule"],"detail":{}}
                """.formatted(UUID.randomUUID());

        given().port(8083).contentType("application/json").body(scheduledEvent).post("/").then()
                .statusCode(200).body("eventsDelivered", equalTo(1000));

        assertThat(receiver.requests("/lambda")).hasSize(1);
    }

    AggregationReport run() {
        return aggregator.run(Duration.ofSeconds(20));
    }

    void runUntil(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached within 20 s").isLessThan(deadline);
            Thread.sleep(300);
            run();
        }
    }

    void assertSigned(WebhookReceiver.Request request) {
        assertThat(new WebhookSigner(SECRET).verify(request.headers().get("webhook-id"),
                Long.parseLong(request.headers().get("webhook-timestamp")), request.body(),
                request.headers().get("webhook-signature"))).as("valid Standard Webhooks signature").isTrue();
    }

    UUID bucket(Callback callback) {
        UUID bucketId = UUID.randomUUID();
        BucketRoute route = new BucketRoute(bucketId, RouteCodec.sealCallback(cipher, bucketId, callback),
                Instant.now().plus(Duration.ofDays(7)), null);
        aws.s3().putObject(b -> b.bucket(AggregatorAws.STATE).key(RouteCodec.bucketKey(bucketId)),
                RequestBody.fromBytes(RouteCodec.write(route)));
        return bucketId;
    }

    UUID context(UUID bucketId) {
        UUID contextId = UUID.randomUUID();
        aws.s3().putObject(b -> b.bucket(AggregatorAws.STATE).key(RouteCodec.contextKey(contextId)),
                RequestBody.fromBytes(RouteCodec.write(new ContextRoute(contextId, bucketId,
                        Instant.now().plus(Duration.ofDays(7))))));
        return contextId;
    }

    static List<Event> sent(UUID bucket, int count) {
        UUID context = UUID.randomUUID();
        return IntStream.range(0, count).mapToObj(i -> Event.outcome(UUID.randomUUID(), context, bucket,
                "receiver-" + i, EventKind.SENT, null, Instant.now())).toList();
    }

    static List<UUID> ids(List<Event> events) {
        return events.stream().map(Event::messageId).toList();
    }

    static List<UUID> messageIds(WebhookReceiver.Request request) {
        try {
            List<UUID> ids = new ArrayList<>();
            JSON.readTree(request.body()).get("messages").forEach(m -> ids.add(UUID.fromString(
                    m.get("messageId").asText())));
            return ids;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    void enqueue(List<Event> events) {
        String url = queueUrl(AggregatorAws.QUEUE);
        for (List<String> batch : QueueBatches.of(events)) {
            List<SendMessageBatchRequestEntry> entries = IntStream.range(0, batch.size())
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(batch.get(i))
                            .build())
                    .toList();
            assertThat(aws.sqs().sendMessageBatch(b -> b.queueUrl(url).entries(entries)).failed()).isEmpty();
        }
    }

    String queueUrl(String queue) {
        return aws.sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl();
    }

    int queued(String queue) {
        var attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl(queue)).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed")).attributesAsStrings();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** Pending packages on a queue, read without consuming them for good (they become visible again). */
    List<QueueMessage.PendingPackage> pending(String queue) {
        List<QueueMessage.PendingPackage> found = new ArrayList<>();
        String url = queueUrl(queue);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (found.size() < queued(queue) && System.nanoTime() < deadline) {
            for (Message m : aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .visibilityTimeout(0).waitTimeSeconds(1)).messages()) {
                if (QueueCodec.decode(m.body()) instanceof QueueMessage.PendingPackage p
                        && found.stream().noneMatch(f -> f.webhookId().equals(p.webhookId()))) {
                    found.add(p);
                }
            }
        }
        return found;
    }

    /** The reasons of the messages on the dead-letter queue (which it empties). */
    List<String> deadLetterReasons() {
        return drainWithAttributes(AggregatorAws.DLQ).stream()
                .map(m -> m.messageAttributes().get("pushcore-reason").stringValue()).toList();
    }

    List<Message> drainWithAttributes(String queue) {
        String url = queueUrl(queue);
        List<Message> messages = new ArrayList<>();
        while (true) {
            List<Message> batch = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .messageAttributeNames("All").waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return messages;
            }
            for (Message m : batch) {
                messages.add(m);
                aws.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    List<Message> drain(String queue) {
        String url = queueUrl(queue);
        List<Message> messages = new ArrayList<>();
        while (true) {
            List<Message> batch = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                aws.sqs().purgeQueue(b -> b.queueUrl(url));
                return messages;
            }
            for (Message m : batch) {
                messages.add(m);
                aws.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }
}
