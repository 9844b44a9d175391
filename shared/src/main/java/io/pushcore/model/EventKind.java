package io.pushcore.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What happened to a message (README "Outcomes and errors"). {@link #wireName()} is the {@code result.kind} of the webhook body and the
 * {@code kind} of the queue format. {@link #SENT}, {@link #UNREGISTERED} and {@link #FAILED} come from
 * send-function; {@link #DELIVERED}, {@link #CLICKED} and {@link #CLOSED} from client SDKs.
 */
public enum EventKind {
    /** The provider accepted the push. */
    SENT,
    /** The subscription or token is gone for good; the customer should delete the receiver. */
    UNREGISTERED,
    /** A permanent rejection, or the retries gave up; the event's {@code reason} says why. */
    FAILED,
    /** The device showed the notification, or a silent push arrived. */
    DELIVERED,
    /** The user tapped the notification body ({@code action} empty or {@code default}) or an action button. */
    CLICKED,
    /** The user dismissed the notification. */
    CLOSED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the kinds client SDKs report to event-function. */
    public boolean isClientEvent() {
        return this == DELIVERED || this == CLICKED || this == CLOSED;
    }

    /** The kind with this wire name, exactly as {@link #wireName()} writes it. */
    public static Optional<EventKind> fromWireName(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(BY_WIRE_NAME.get(name));
    }

    /** Built once: the queue reader looks up every event's kind. */
    private static final Map<String, EventKind> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventKind::wireName, kind -> kind));

    /**
     * The client event named by the last segment of {@code /v1/context/{id}/events/{kind}}: {@code delivered},
     * {@code clicked}, {@code closed}, or {@code close} (the README of CORE names it so). Server-side kinds are not
     * client paths.
     */
    public static Optional<EventKind> fromClientPath(String segment) {
        if ("close".equals(segment)) {
            return Optional.of(CLOSED);
        }
        return fromWireName(segment).filter(EventKind::isClientEvent);
    }
}
