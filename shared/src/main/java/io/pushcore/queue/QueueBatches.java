package io.pushcore.queue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.pushcore.model.Event;

/**
 * Packs events into SQS message bodies and the bodies into {@code SendMessageBatch} groups: at most
 * {@link #MAX_ENTRIES} bodies per group and at most the byte budget per body and per group, since SQS limits one
 * message and the sum of one batch request to {@link #SQS_MAX_BYTES}. The AWS call itself stays with the caller.
 */
public final class QueueBatches {

    /** Entries SQS accepts in one {@code SendMessageBatch} (and returns from one {@code ReceiveMessage}). */
    public static final int MAX_ENTRIES = 10;

    /** SQS's limit for one message, and for the sum of the messages of one batch request (256 KiB). */
    public static final int SQS_MAX_BYTES = 262_144;

    /** The default budget: SQS's limit less room for message attributes. */
    public static final int DEFAULT_BUDGET_BYTES = 250_000;

    private QueueBatches() {
    }

    /** {@link #of(List, int)} with {@link #DEFAULT_BUDGET_BYTES}. */
    public static List<List<String>> of(List<Event> events) {
        return of(events, DEFAULT_BUDGET_BYTES);
    }

    /**
     * Events in order, as groups of message bodies; each group is one {@code SendMessageBatch} request.
     *
     * @throws IllegalArgumentException when one event alone does not fit the budget
     */
    public static List<List<String>> of(List<Event> events, int budgetBytes) {
        return ofEncoded(events.stream().map(QueueCodec::encodeEvent).toList(), budgetBytes);
    }

    /**
     * {@link #of(List, int)} for events already encoded with {@link QueueCodec#encodeEvent}: a producer that packs
     * the events of several callers together encodes (and checks with {@link #fitsAlone}) each caller's events on
     * their own, so events that cannot be encoded fail only their caller.
     *
     * @throws IllegalArgumentException when one event alone does not fit the budget
     */
    public static List<List<String>> ofEncoded(List<byte[]> encodedEvents, int budgetBytes) {
        List<String> messages = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        int empty = QueueCodec.emptyEventsMessageBytes();
        int size = empty;
        for (byte[] encoded : encodedEvents) {
            int added = encoded.length + (current.isEmpty() ? 0 : 1);
            if (!fitsAlone(encoded, budgetBytes)) {
                throw new IllegalArgumentException("one event is larger than the queue message budget");
            }
            if (size + added > budgetBytes) {
                messages.add(QueueCodec.eventsMessage(current, null));
                current = new ArrayList<>();
                size = empty;
                added = encoded.length;
            }
            current.add(encoded);
            size += added;
        }
        if (!current.isEmpty()) {
            messages.add(QueueCodec.eventsMessage(current, null));
        }
        return group(messages, budgetBytes);
    }

    /** Whether one event, encoded with {@link QueueCodec#encodeEvent}, fits a message of this budget alone. */
    public static boolean fitsAlone(byte[] encodedEvent, int budgetBytes) {
        return QueueCodec.emptyEventsMessageBytes() + encodedEvent.length <= budgetBytes;
    }

    /** Bodies in order as {@code SendMessageBatch} groups within the entry limit and the byte budget. */
    public static List<List<String>> group(List<String> bodies, int budgetBytes) {
        List<List<String>> groups = new ArrayList<>();
        List<String> group = new ArrayList<>();
        int size = 0;
        for (String body : bodies) {
            int bytes = body.getBytes(StandardCharsets.UTF_8).length;
            if (!group.isEmpty() && (group.size() == MAX_ENTRIES || size + bytes > budgetBytes)) {
                groups.add(List.copyOf(group));
                group.clear();
                size = 0;
            }
            group.add(body);
            size += bytes;
        }
        if (!group.isEmpty()) {
            groups.add(List.copyOf(group));
        }
        return groups;
    }
}
