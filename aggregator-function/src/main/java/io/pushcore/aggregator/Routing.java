package io.pushcore.aggregator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.pushcore.aggregator.storage.DeadLetterReason;
import io.pushcore.aggregator.storage.RouteReader;
import io.pushcore.model.Event;
import io.pushcore.route.Callback;

/**
 * Route: where an event goes, context → bucket → callback, in one decision used for new events and pending packages
 * alike. Each route is read once per run (the {@link RouteReader} caches across runs). Thread-safe.
 */
final class Routing {

    /** Where events go. */
    sealed interface Route {

        /** The bucket's webhook. */
        record Webhook(UUID bucketId, Callback.Http webhook) implements Route {
        }

        /** Callback {@code none}: counted and dropped. */
        record Drop() implements Route {
        }

        /** No usable webhook: the dead-letter queue, with the reason and a detail that names no secret. */
        record Dead(DeadLetterReason reason, String detail) implements Route {
        }
    }

    /** A message's events by route: per bucket to pack, per dead route, and how many are dropped. */
    record Sorted(Map<UUID, List<Event>> byBucket, Map<Route.Dead, List<Event>> dead, int dropped) {
    }

    private final RouteReader routes;
    private final Map<UUID, Optional<UUID>> contexts = new ConcurrentHashMap<>();
    private final Map<UUID, Optional<RouteReader.Target>> targets = new ConcurrentHashMap<>();

    Routing(RouteReader routes) {
        this.routes = routes;
    }

    /**
     * Sorts one message's events by route.
     *
     * @throws RouteReader.Unavailable when a route could not be read now (the message is retried later)
     */
    Sorted sort(List<Event> events) {
        Map<UUID, List<Event>> byBucket = new LinkedHashMap<>();
        Map<Route.Dead, List<Event>> dead = new LinkedHashMap<>();
        int dropped = 0;
        for (Event event : events) {
            switch (of(event)) {
                case Route.Webhook webhook -> byBucket.computeIfAbsent(webhook.bucketId(), id -> new ArrayList<>())
                        .add(event);
                case Route.Drop drop -> dropped++;
                case Route.Dead d -> dead.computeIfAbsent(d, r -> new ArrayList<>()).add(event);
            }
        }
        return new Sorted(byBucket, dead, dropped);
    }

    /**
     * The route of one event: its bucket (written in the event, or read from its context's route), then the bucket's.
     *
     * @throws RouteReader.Unavailable when a route could not be read now
     */
    Route of(Event event) {
        UUID bucketId = event.bucketId();
        if (bucketId == null) {
            try {
                bucketId = remembered(contexts, event.contextId(), routes::bucketOf).orElse(null);
            } catch (RouteReader.Unusable e) {
                return new Route.Dead(e.reason(), e.getMessage());
            }
            if (bucketId == null) {
                return new Route.Dead(DeadLetterReason.ROUTE_MISSING, "no route for context " + event.contextId());
            }
        }
        return ofBucket(bucketId);
    }

    /**
     * The route of a bucket's events.
     *
     * @throws RouteReader.Unavailable when the route could not be read now
     */
    Route ofBucket(UUID bucketId) {
        Optional<RouteReader.Target> target;
        try {
            target = remembered(targets, bucketId, routes::target);
        } catch (RouteReader.Unusable e) {
            return new Route.Dead(e.reason(), e.getMessage());
        }
        return switch (target.map(RouteReader.Target::callback).orElse(null)) {
            case null -> new Route.Dead(DeadLetterReason.ROUTE_MISSING, "no route for bucket " + bucketId);
            case Callback.None none -> new Route.Drop();
            case Callback.Http http when target.get().disabled() -> gone(bucketId);
            case Callback.Http http -> new Route.Webhook(bucketId, http);
        };
    }

    /** The bucket's webhook answered 410: disabled from {@code at} on, for this and every later run. */
    void disable(UUID bucketId, Instant at) {
        routes.disable(bucketId, at);
    }

    static Route.Dead gone(UUID bucketId) {
        return new Route.Dead(DeadLetterReason.WEBHOOK_GONE, "webhook of bucket " + bucketId + " answered 410");
    }

    /** Reads outside any lock (a route read is an S3 call); a failed read is not remembered. */
    private static <T> Optional<T> remembered(Map<UUID, Optional<T>> memo, UUID id,
            Function<UUID, Optional<T>> read) {
        Optional<T> known = memo.get(id);
        if (known != null) {
            return known;
        }
        Optional<T> value = read.apply(id);
        memo.putIfAbsent(id, value);
        return value;
    }
}
