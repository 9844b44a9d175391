package io.pushcore.aggregator.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.pushcore.model.Event;

/**
 * The CORE events package: {@code {"messages":[{"messageId","foreignId"?,"result":{"kind","action"?,"reason"?},
 * "ts":<epoch ms>}]}}, events in the given order; absent values are omitted.
 */
public final class WebhookBody {

    private static final JsonFactory FACTORY = new JsonFactory();

    private WebhookBody() {
    }

    public static byte[] of(List<Event> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + events.size() * 160);
        try (JsonGenerator json = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeArrayFieldStart("messages");
            for (Event event : events) {
                json.writeStartObject();
                json.writeStringField("messageId", event.messageId().toString());
                if (event.foreignId() != null) {
                    json.writeStringField("foreignId", event.foreignId());
                }
                json.writeObjectFieldStart("result");
                json.writeStringField("kind", event.kind().wireName());
                if (event.action() != null) {
                    json.writeStringField("action", event.action());
                }
                if (event.reason() != null) {
                    json.writeStringField("reason", event.reason());
                }
                json.writeEndObject();
                json.writeNumberField("ts", event.ts().toEpochMilli());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
