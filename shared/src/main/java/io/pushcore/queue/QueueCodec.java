package io.pushcore.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.model.Event;
import io.pushcore.model.EventKind;

/**
 * The JSON of event queue messages (format in the package documentation). Writing is byte-exact and cheap to
 * measure, so {@link QueueBatches} can pack events up to the SQS size limit. Stateless and thread-safe.
 */
public final class QueueCodec {

    /** The format version every message carries in {@code v}. */
    public static final int VERSION = 1;

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper(FACTORY);
    private static final String EVENTS_OPEN = "{\"v\":1,\"type\":\"events\",\"events\":[";

    private QueueCodec() {
    }

    public static String encode(QueueMessage message) {
        return switch (message) {
            case QueueMessage.Events events -> {
                List<byte[]> encoded = events.events().stream().map(QueueCodec::encodeEvent).toList();
                yield eventsMessage(encoded, events.enqueuedAt());
            }
            case QueueMessage.PendingPackage pending -> {
                StringBuilder out = new StringBuilder(256 + pending.events().size() * 200);
                out.append("{\"v\":1,\"type\":\"package\",\"webhookId\":").append(quote(pending.webhookId()))
                        .append(",\"bucketId\":\"").append(pending.bucketId())
                        .append("\",\"attempts\":").append(pending.attempts())
                        .append(",\"firstAttemptAt\":").append(pending.firstAttemptAt().toEpochMilli())
                        .append(",\"notBefore\":").append(pending.notBefore().toEpochMilli())
                        .append(",\"events\":[");
                appendEvents(out, pending.events().stream().map(QueueCodec::encodeEvent).toList());
                yield out.append("]}").toString();
            }
        };
    }

    /** @throws MalformedQueueMessageException when the body is not a message of this format */
    public static QueueMessage decode(String body) {
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (IOException e) {
            throw new MalformedQueueMessageException("queue message is not JSON", e);
        }
        if (root == null || !root.isObject() || root.path("v").asInt(-1) != VERSION) {
            throw new MalformedQueueMessageException("queue message has no supported format version");
        }
        List<Event> events = decodeEvents(root.path("events"));
        return switch (root.path("type").asText("")) {
            case "events" -> new QueueMessage.Events(events, optionalInstant(root, "enqueuedAt"));
            case "package" -> new QueueMessage.PendingPackage(requiredText(root, "webhookId"),
                    uuid(root, "bucketId"), root.path("attempts").asInt(0), instant(root, "firstAttemptAt"),
                    instant(root, "notBefore"), events);
            default -> throw new MalformedQueueMessageException("queue message has an unknown type");
        };
    }

    /** The UTF-8 JSON object of one event, as it appears inside a message's {@code events} array. */
    public static byte[] encodeEvent(Event event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("messageId", event.messageId().toString());
            json.writeStringField("contextId", event.contextId().toString());
            if (event.bucketId() != null) {
                json.writeStringField("bucketId", event.bucketId().toString());
            }
            if (event.foreignId() != null) {
                json.writeStringField("foreignId", event.foreignId());
            }
            json.writeStringField("kind", event.kind().wireName());
            if (event.action() != null) {
                json.writeStringField("action", event.action());
            }
            if (event.reason() != null) {
                json.writeStringField("reason", event.reason());
            }
            json.writeNumberField("ts", event.ts().toEpochMilli());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * {@code encodeEvent(event).length} without encoding: counts what Jackson's UTF-8 generator (default features)
     * writes for strings. Quote and backslash take 2 bytes; control characters below U+0020 take 2 (the short
     * escapes b, t, n, f, r) or 6 (a backslash-u escape with 4 hex digits); other ASCII 1; U+0080..U+07FF 2; every
     * UTF-16 surrogate, paired or lone, 6 (a backslash-u escape each: {@code COMBINE_UNICODE_SURROGATES_IN_UTF8} is
     * off by default in Jackson 2); the rest of the BMP 3. EncodedEventBytesTest checks it against
     * {@link #encodeEvent}.
     */
    public static int encodedEventBytes(Event event) {
        int bytes = 2 // {}
                + field("messageId", UUID_CHARS + 2) + 1 + field("contextId", UUID_CHARS + 2)
                + 1 + field("kind", stringBytes(event.kind().wireName()))
                + 1 + field("ts", Long.toString(event.ts().toEpochMilli()).length());
        if (event.bucketId() != null) {
            bytes += 1 + field("bucketId", UUID_CHARS + 2);
        }
        if (event.foreignId() != null) {
            bytes += 1 + field("foreignId", stringBytes(event.foreignId()));
        }
        if (event.action() != null) {
            bytes += 1 + field("action", stringBytes(event.action()));
        }
        if (event.reason() != null) {
            bytes += 1 + field("reason", stringBytes(event.reason()));
        }
        return bytes;
    }

    private static final int UUID_CHARS = 36;

    /** {@code "name":} plus the value's bytes (names are ASCII without escapes). */
    private static int field(String name, int valueBytes) {
        return name.length() + 3 + valueBytes;
    }

    /** Bytes of a JSON string value, quotes included, as {@code encodeEvent} writes it. */
    private static int stringBytes(String text) {
        int bytes = 2;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20) {
                    bytes += c == '"' || c == '\\' ? 2 : 1;
                } else {
                    bytes += c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 2 : 6;
                }
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                bytes += 6;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Bytes of an events message holding no event: the fixed cost {@link QueueBatches} adds to each message. */
    static int emptyEventsMessageBytes() {
        return EVENTS_OPEN.length() + 2;
    }

    /** An events message from events already encoded with {@link #encodeEvent}. */
    static String eventsMessage(List<byte[]> encodedEvents, Instant enqueuedAt) {
        StringBuilder out = new StringBuilder(64 + encodedEvents.size() * 200);
        if (enqueuedAt == null) {
            out.append(EVENTS_OPEN);
        } else {
            out.append("{\"v\":1,\"type\":\"events\",\"enqueuedAt\":").append(enqueuedAt.toEpochMilli())
                    .append(",\"events\":[");
        }
        appendEvents(out, encodedEvents);
        return out.append("]}").toString();
    }

    private static void appendEvents(StringBuilder out, List<byte[]> encodedEvents) {
        for (int i = 0; i < encodedEvents.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(new String(encodedEvents.get(i), StandardCharsets.UTF_8));
        }
    }

    private static List<Event> decodeEvents(JsonNode array) {
        if (!array.isArray()) {
            throw new MalformedQueueMessageException("queue message has no events array");
        }
        List<Event> events = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            EventKind kind = EventKind.fromWireName(node.path("kind").asText(null))
                    .orElseThrow(() -> new MalformedQueueMessageException("event has an unknown kind"));
            events.add(new Event(uuid(node, "messageId"), uuid(node, "contextId"), optionalUuid(node, "bucketId"),
                    optionalText(node, "foreignId"), kind, optionalText(node, "action"),
                    optionalText(node, "reason"), instant(node, "ts")));
        }
        return events;
    }

    private static String quote(String text) {
        try {
            return READER.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new MalformedQueueMessageException(field + " is missing");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static UUID uuid(JsonNode node, String field) {
        try {
            return UUID.fromString(requiredText(node, field));
        } catch (IllegalArgumentException e) {
            throw new MalformedQueueMessageException(field + " is not a UUID");
        }
    }

    private static UUID optionalUuid(JsonNode node, String field) {
        return optionalText(node, field) == null ? null : uuid(node, field);
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new MalformedQueueMessageException(field + " is not epoch milliseconds");
        }
        return Instant.ofEpochMilli(value.asLong());
    }

    private static Instant optionalInstant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : instant(node, field);
    }
}
