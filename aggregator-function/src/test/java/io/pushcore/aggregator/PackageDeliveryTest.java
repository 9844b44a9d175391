package io.pushcore.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.aggregator.storage.DeadLetterReason;
import io.pushcore.aggregator.support.InMemoryEventSource;
import io.pushcore.aggregator.support.InMemoryRouteReader;
import io.pushcore.aggregator.support.TestConfig;
import io.pushcore.aggregator.support.WebhookReceiver;
import io.pushcore.aggregator.support.WebhookReceiver.Reply;
import io.pushcore.aggregator.webhook.WebhookDeliverer;
import io.pushcore.net.NetworkPolicy;
import io.pushcore.queue.QueueCodec;
import io.pushcore.queue.QueueMessage;
import io.pushcore.route.Callback;

/**
 * Delivering alone, to a real webhook on loopback with the real deliverer, with the queue and routes in memory: how
 * each outcome settles or releases a package in the {@link Ledger}.
 */
class PackageDeliveryTest {

    final AggregatorConfig config = TestConfig.aggregator(Map.of("aggregator.webhook.timeout", "1500ms",
            "aggregator.retry.initial-backoff", "200ms", "aggregator.retry.max-backoff", "1s"));
    final InMemoryEventSource source = new InMemoryEventSource();
    final InMemoryRouteReader routes = new InMemoryRouteReader();
    final List<List<String>> deleted = new CopyOnWriteArrayList<>();
    final Ledger ledger = new Ledger(deleted::add);
    final RunCounters counters = new RunCounters(new SimpleMeterRegistry());
    final WebhookReceiver receiver;

    PackageDeliveryTest() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void aDeliveredPackageSettlesAndItsMessageIsDeleted() {
        WebhookPackage pkg = heldPackage(routes.bucket(webhook("/ok")), "m1");

        delivery(Duration.ofSeconds(20)).deliverAll(List.of(pkg));

        assertThat(receiver.requests("/ok")).singleElement().satisfies(r -> assertThat(r.headers())
                .containsEntry("webhook-id", pkg.webhookId()));
        assertThat(deleted).containsExactly(List.of("m1"));
        assertThat(counters.report(1, 3, 0, 0).eventsDelivered()).isEqualTo(3);
    }

    @Test
    void aPackageDeadLetteredAfterA410CountsAsSettled() {
        UUID bucket = routes.bucket(webhook("/gone"));
        receiver.script("/gone", attempt -> Reply.status(410));
        WebhookPackage pkg = heldPackage(bucket, "m1");

        delivery(Duration.ofSeconds(20)).deliverAll(List.of(pkg));

        assertThat(source.deadLettered()).singleElement().satisfies(dead -> {
            assertThat(dead.reason()).isEqualTo(DeadLetterReason.WEBHOOK_GONE);
            assertThat(((QueueMessage.PendingPackage) QueueCodec.decode(dead.body())).webhookId())
                    .isEqualTo(pkg.webhookId());
        });
        assertThat(routes.target(bucket)).hasValueSatisfying(target -> assertThat(target.disabled()).isTrue());
        assertThat(deleted).containsExactly(List.of("m1"));
    }

    @Test
    void aFailedPackageGoesBackWithItsWebhookIdAndItsMessageIsDeleted() {
        receiver.script("/down", attempt -> Reply.status(503));
        WebhookPackage pkg = heldPackage(routes.bucket(webhook("/down")), "m1");

        delivery(Duration.ofSeconds(20)).deliverAll(List.of(pkg));

        assertThat(source.sent()).singleElement().satisfies(sent -> {
            QueueMessage.PendingPackage pending = (QueueMessage.PendingPackage) QueueCodec.decode(sent.body());
            assertThat(pending.webhookId()).isEqualTo(pkg.webhookId());
            assertThat(pending.attempts()).isEqualTo(1);
            assertThat(pending.events()).isEqualTo(pkg.events());
        });
        assertThat(deleted).containsExactly(List.of("m1"));
    }

    @Test
    void aPackageNeitherDeliveredNorStoredIsReleasedAndItsMessageKept() {
        receiver.script("/down", attempt -> Reply.status(503));
        WebhookPackage pkg = heldPackage(routes.bucket(webhook("/down")), "m1");
        source.refuseWrites(true);

        delivery(Duration.ofSeconds(20)).deliverAll(List.of(pkg));

        assertThat(receiver.requests("/down")).hasSize(1);
        assertThat(deleted).isEmpty();
        assertThat(ledger.isDeleted("m1")).isFalse();
    }

    @Test
    void aPackageThatCannotEndBeforeTheDeadlineGoesBackWithoutAnAttempt() {
        WebhookPackage pkg = heldPackage(routes.bucket(webhook("/late")), "m1");

        // less than run.margin (2 s) plus webhook.timeout (1.5 s) is left
        delivery(Duration.ofSeconds(3)).deliverAll(List.of(pkg));

        assertThat(receiver.requests("/late")).isEmpty();
        assertThat(source.sent()).singleElement().satisfies(sent -> assertThat(
                ((QueueMessage.PendingPackage) QueueCodec.decode(sent.body())).attempts()).isZero());
        assertThat(deleted).containsExactly(List.of("m1"));
    }

    PackageDelivery delivery(Duration left) {
        Clock clock = Clock.systemUTC();
        return new PackageDelivery(source, new Routing(routes), new WebhookDeliverer(new NetworkPolicy(true), clock,
                config), new DeadLetters(source, counters, clock), ledger, counters, clock, config,
                System.nanoTime() + left.toNanos());
    }

    WebhookPackage heldPackage(UUID bucket, String receipt) {
        ledger.hold(receipt);
        WebhookPackage pkg = WebhookPackage.fresh(bucket, PackerTest.events(bucket, 3), Instant.now(),
                List.of(receipt));
        ledger.add(pkg);
        ledger.complete(receipt);
        return pkg;
    }

    Callback.Http webhook(String path) {
        return new Callback.Http(receiver.url(path), Map.of(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }
}
