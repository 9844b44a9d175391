package io.pushcore.aggregator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.model.Event;
import io.pushcore.queue.QueueBatches;
import io.pushcore.queue.QueueCodec;

/**
 * Pack: cuts each bucket's events, oldest first, into packages of at most {@code aggregator.flush.max-events} events
 * and {@code max-bytes} of body (and small enough to wait on the queue as one pending package). A last partial
 * package goes out only when its oldest event was enqueued {@code max-age} ago; until then its events wait. A pure
 * function of its input and {@code now}.
 */
final class Packer {

    /** Space a pending package needs on the queue beyond its events. */
    static final int PACKAGE_OVERHEAD_BYTES = 256;

    /** An event and the held message it came in. */
    record Item(Event event, HeldMessage.Events source) {
    }

    /**
     * Events of one message that are not due yet, with when the first of them is.
     *
     * @param whole true when no package holds any other event of the message (the message can simply be hidden)
     */
    record Waiting(HeldMessage.Events source, List<Event> events, Instant dueAt, boolean whole) {
    }

    /** Packages to deliver now and, per message, the events that wait. */
    record Packed(List<WebhookPackage> packages, List<Waiting> waiting) {

        int waitingEvents() {
            return waiting.stream().mapToInt(w -> w.events().size()).sum();
        }
    }

    private final int maxEvents;
    private final int maxBytes;
    private final Duration maxAge;

    Packer(AggregatorConfig.Flush flush) {
        this.maxEvents = flush.maxEvents();
        this.maxBytes = Math.min(flush.maxBytes(), QueueBatches.DEFAULT_BUDGET_BYTES - PACKAGE_OVERHEAD_BYTES);
        this.maxAge = flush.maxAge();
    }

    Packed pack(Map<UUID, List<Item>> groups, Instant now) {
        List<WebhookPackage> packages = new ArrayList<>();
        // keyed by receipt handle: one entry per message, its events list filled while packing
        Map<String, Waiting> waiting = new LinkedHashMap<>();
        groups.forEach((bucketId, unsorted) -> {
            List<Item> items = new ArrayList<>(unsorted);
            items.sort(Comparator.comparing(item -> item.source().enqueuedAt()));
            List<Item> current = new ArrayList<>();
            int bytes = 0;
            for (Item item : items) {
                int size = QueueCodec.encodedEventBytes(item.event()) + 1;
                if (!current.isEmpty() && (current.size() >= maxEvents || bytes + size > maxBytes)) {
                    packages.add(pkg(bucketId, current));
                    current = new ArrayList<>();
                    bytes = 0;
                }
                current.add(item);
                bytes += size;
            }
            if (current.isEmpty()) {
                return;
            }
            Instant dueAt = current.get(0).source().enqueuedAt().plus(maxAge);
            if (current.size() >= maxEvents || !dueAt.isAfter(now)) {
                packages.add(pkg(bucketId, current));
                return;
            }
            for (Item item : current) {
                Waiting wait = waiting.computeIfAbsent(item.source().receiptHandle(),
                        r -> new Waiting(item.source(), new ArrayList<>(), dueAt, false));
                wait.events().add(item.event());
                if (dueAt.isBefore(wait.dueAt())) {
                    waiting.put(item.source().receiptHandle(), new Waiting(wait.source(), wait.events(), dueAt,
                            false));
                }
            }
        });
        Set<String> packed = new HashSet<>();
        packages.forEach(pkg -> packed.addAll(pkg.sources()));
        List<Waiting> waits = waiting.values().stream().map(w -> new Waiting(w.source(), List.copyOf(w.events()),
                w.dueAt(), !packed.contains(w.source().receiptHandle()))).toList();
        return new Packed(packages, waits);
    }

    private static WebhookPackage pkg(UUID bucketId, List<Item> items) {
        Set<String> sources = new LinkedHashSet<>();
        items.forEach(item -> sources.add(item.source().receiptHandle()));
        return WebhookPackage.fresh(bucketId, items.stream().map(Item::event).toList(),
                items.get(0).source().enqueuedAt(), List.copyOf(sources));
    }
}
