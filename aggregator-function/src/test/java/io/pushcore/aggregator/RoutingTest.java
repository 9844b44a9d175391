package io.pushcore.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.pushcore.aggregator.Routing.Route;
import io.pushcore.aggregator.storage.DeadLetterReason;
import io.pushcore.aggregator.storage.RouteReader;
import io.pushcore.aggregator.support.InMemoryRouteReader;
import io.pushcore.model.Event;
import io.pushcore.model.EventKind;
import io.pushcore.route.Callback;

/** Routing alone: one decision per event or bucket, each route read once per run. */
class RoutingTest {

    final InMemoryRouteReader routes = new InMemoryRouteReader();
    final Routing routing = new Routing(routes);
    final Callback.Http http = new Callback.Http(URI.create("https://hooks.example.com/a"), Map.of(), null);

    @Test
    void routesByTheEventsBucketOrItsContextsBucketReadingEachRouteOnce() {
        UUID bucket = routes.bucket(http);
        UUID context = routes.context(bucket);
        Event client = Event.client(UUID.randomUUID(), context, null, EventKind.CLICKED, "default", Instant.now());
        Event outcome = Event.outcome(UUID.randomUUID(), context, bucket, null, EventKind.SENT, null, Instant.now());

        Routing.Sorted sorted = routing.sort(List.of(client, outcome, client, outcome));

        assertThat(sorted.byBucket()).containsOnlyKeys(bucket);
        assertThat(sorted.byBucket().get(bucket)).containsExactly(client, outcome, client, outcome);
        assertThat(sorted.dead()).isEmpty();
        assertThat(routes.reads()).as("one context and one bucket read").isEqualTo(2);
        assertThat(routing.ofBucket(bucket)).isEqualTo(new Route.Webhook(bucket, http));
        assertThat(routes.reads()).isEqualTo(2);
    }

    @Test
    void dropsEventsOfACallbackNoneAndDeadLettersTheRestWithTheirReasons() {
        UUID none = routes.bucket(new Callback.None());
        UUID gone = routes.bucket(http);
        routes.disable(gone, Instant.now());
        UUID corrupt = UUID.randomUUID();
        routes.fail(corrupt, new RouteReader.Unusable(DeadLetterReason.CORRUPT_ROUTE, "bucket route " + corrupt));
        UUID missing = UUID.randomUUID();
        UUID unknownContext = UUID.randomUUID();

        Routing.Sorted sorted = routing.sort(List.of(event(none), event(gone), event(corrupt), event(missing),
                Event.client(UUID.randomUUID(), unknownContext, null, EventKind.CLOSED, null, Instant.now())));

        assertThat(sorted.dropped()).isEqualTo(1);
        assertThat(sorted.byBucket()).isEmpty();
        assertThat(sorted.dead().keySet()).containsExactly(
                new Route.Dead(DeadLetterReason.WEBHOOK_GONE, "webhook of bucket " + gone + " answered 410"),
                new Route.Dead(DeadLetterReason.CORRUPT_ROUTE, "bucket route " + corrupt),
                new Route.Dead(DeadLetterReason.ROUTE_MISSING, "no route for bucket " + missing),
                new Route.Dead(DeadLetterReason.ROUTE_MISSING, "no route for context " + unknownContext));
    }

    @Test
    void aRouteStoreThatCannotAnswerFailsTheWholeMessageAndIsAskedAgainLater() {
        UUID bucket = routes.bucket(http);
        routes.fail(bucket, new RouteReader.Unavailable("S3 down", null));

        assertThatThrownBy(() -> routing.sort(List.of(event(bucket)))).isInstanceOf(RouteReader.Unavailable.class);
        routes.heal(bucket);

        assertThat(routing.ofBucket(bucket)).isEqualTo(new Route.Webhook(bucket, http));
    }

    static Event event(UUID bucket) {
        return Event.outcome(UUID.randomUUID(), UUID.randomUUID(), bucket, null, EventKind.SENT, null, Instant.now());
    }
}
