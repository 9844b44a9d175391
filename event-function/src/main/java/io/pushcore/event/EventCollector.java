package io.pushcore.event;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.crypto.MessageIds;
import io.pushcore.event.storage.EventQueue;
import io.pushcore.model.Event;
import io.pushcore.model.EventKind;

/**
 * Accepts one client event: the message id must carry a valid MAC for the path's context, so forged,
 * mistyped or foreign ids are refused without any lookup and nothing of them reaches the queue. The returned stage
 * completes once the accepted event is on the queue; when the queue cannot take it, it fails with
 * {@link EventQueue.Unavailable} and the client must not be told it succeeded.
 *
 * <p>
 * Metric {@code pushcore.events.received} counts every request by {@code kind} and {@code outcome}
 * ({@code accepted}, {@code rejected}, {@code unavailable}, {@code failed}).
 */
@ApplicationScoped
public class EventCollector {

    /** The {@code action} of a click on the notification's body, as CORE's SDKs name it. */
    public static final String BODY_CLICK = "default";

    /** How far an event's {@code ts} may lie from the server's clock, either way. */
    public static final Duration TS_WINDOW = Duration.ofDays(365);

    private final MessageIds messageIds;
    private final EventQueue queue;
    private final Clock clock;
    private final MeterRegistry metrics;

    EventCollector(MessageIds messageIds, EventQueue queue, Clock clock, MeterRegistry metrics) {
        this.messageIds = messageIds;
        this.queue = queue;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * @param contextId the context id from the path, unparsed
     * @param kind the event kind from the path ({@code close} is accepted for {@code closed})
     * @return completes with the event once it is on the queue, or fails with {@link EventQueue.Unavailable}
     * @throws InvalidEvent when the event is refused (nothing is enqueued)
     */
    public CompletionStage<Event> collect(String contextId, String kind, ClientEvent input) {
        String kindTag = EventKind.fromClientPath(kind).map(EventKind::wireName).orElse("unknown");
        Event event;
        try {
            event = validate(contextId, kind, input);
        } catch (InvalidEvent e) {
            count(kindTag, "rejected");
            throw e;
        }
        return queue.enqueue(List.of(event)).handle((sent, failure) -> {
            if (failure instanceof EventQueue.Unavailable unavailable) {
                count(kindTag, "unavailable");
                throw unavailable;
            }
            if (failure != null) { // a bug, not the queue: retrying would not help, so this is no 503
                count(kindTag, "failed");
                throw new IllegalStateException("accepted event could not be enqueued", failure);
            }
            count(kindTag, "accepted");
            return event;
        });
    }

    private Event validate(String contextText, String kindText, ClientEvent input) {
        EventKind kind = EventKind.fromClientPath(kindText).orElseThrow(() -> new InvalidEvent(
                "unknown event kind", List.of("kind: must be delivered, clicked or closed")));
        List<String> errors = new ArrayList<>();
        UUID contextId = uuid(contextText);
        if (contextId == null) {
            errors.add("contextId: must be a UUID");
        } else if (input.contextId() != null && !contextId.equals(uuid(input.contextId()))) {
            errors.add("contextId: the body's contextId differs from the path's");
        }
        UUID messageId = null;
        if (input.messageId() == null || input.messageId().isBlank()) {
            errors.add("messageId: is required");
        } else {
            messageId = uuid(input.messageId());
            if (messageId == null) {
                errors.add("messageId: must be a UUID");
            } else if (contextId != null && !messageIds.verify(contextId, messageId)) {
                errors.add("messageId: is not a message of this context");
            }
        }
        if (input.foreignId() != null && input.foreignId().length() > Event.MAX_FOREIGN_ID_LENGTH) {
            errors.add("foreignId: is longer than " + Event.MAX_FOREIGN_ID_LENGTH + " characters");
        }
        if (input.action() != null && input.action().length() > Event.MAX_ACTION_LENGTH) {
            errors.add("action: is longer than " + Event.MAX_ACTION_LENGTH + " characters");
        }
        Instant ts = timestamp(input.ts(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidEvent("invalid event", errors);
        }
        return Event.client(messageId, contextId, input.foreignId(), kind, action(kind, input.action()), ts);
    }

    /**
     * A click on the notification's body is {@value #BODY_CLICK} whichever SDK reports it: CORE's mobile SDKs send
     * {@code "default"}, its web worker the browser's {@code event.action}, which is {@code ""} for the body (and
     * looks up {@code actionsMap["default"]} for it). A button click keeps its action id; other kinds pass through.
     */
    private static String action(EventKind kind, String action) {
        return kind == EventKind.CLICKED && (action == null || action.isBlank()) ? BODY_CLICK : action;
    }

    /**
     * ISO-8601 with zone (Android, iOS), without zone (taken as UTC), epoch milliseconds, or absent (now); within
     * {@link #TS_WINDOW} of now, so every accepted time is a sane one that the queue and the webhook can carry.
     */
    private Instant timestamp(Object ts, List<String> errors) {
        if (ts == null) {
            return clock.instant();
        }
        Instant parsed = parse(ts);
        if (parsed == null) {
            errors.add("ts: must be an ISO-8601 timestamp such as 2025-01-31T12:00:00.000Z or epoch milliseconds");
            return null;
        }
        Instant now = clock.instant();
        if (parsed.isBefore(now.minus(TS_WINDOW)) || parsed.isAfter(now.plus(TS_WINDOW))) {
            errors.add("ts: must be within " + TS_WINDOW.toDays() + " days of now");
            return null;
        }
        return parsed;
    }

    private static Instant parse(Object ts) {
        if (ts instanceof Number number) {
            // A double, not longValue(): a number beyond a long saturates (and is then refused) instead of wrapping.
            double millis = number.doubleValue();
            return millis == Math.rint(millis) ? Instant.ofEpochMilli((long) millis) : null;
        }
        if (ts instanceof String text && !text.isBlank()) {
            String trimmed = text.trim();
            if (trimmed.chars().allMatch(Character::isDigit) && trimmed.length() <= 15) {
                return Instant.ofEpochMilli(Long.parseLong(trimmed));
            }
            try {
                return OffsetDateTime.parse(trimmed).toInstant();
            } catch (DateTimeException e) {
                try {
                    return LocalDateTime.parse(trimmed).toInstant(ZoneOffset.UTC);
                } catch (DateTimeException ignored) {
                    return null;
                }
            }
        }
        return null;
    }

    private static UUID uuid(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void count(String kind, String outcome) {
        metrics.counter("pushcore.events.received", "kind", kind, "outcome", outcome).increment();
    }
}
