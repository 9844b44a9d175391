package io.pushcore.event.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.event.ClientEvent;
import io.pushcore.event.EventCollector;
import io.pushcore.event.InvalidEvent;
import io.pushcore.event.config.EventConfig;

/**
 * {@code POST /v1/context/{contextId}/events/{delivered|clicked|closed|close}} with the CORE body
 * {@code {messageId, foreignId?, action?, ts?, contextId?}} → 201 with no body. No authentication: the message
 * id's MAC is the proof. Any content type is read as JSON (service workers may post {@code text/plain}); unknown
 * fields are ignored; the body is size-capped.
 */
@Path("/v1/context/{contextId}/events/{kind}")
public class EventResource {

    private final EventCollector collector;
    private final ObjectMapper json;
    private final int maxBytes;

    EventResource(EventCollector collector, ObjectMapper json, EventConfig config) {
        this.collector = collector;
        this.json = json;
        this.maxBytes = config.body().maxBytes();
    }

    /**
     * Runs on the event loop and never blocks it: the body comes as an array read by the HTTP layer (the transport caps
     * it at {@code quarkus.http.limits.max-body-size}), checking the event is CPU work of microseconds, and the answer
     * waits for the queue without holding a thread.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> post(@PathParam("contextId") String contextId, @PathParam("kind") String kind,
            byte[] body) {
        byte[] bytes = body == null ? new byte[0] : body;
        if (bytes.length > maxBytes) {
            return CompletableFuture.completedFuture(ErrorMapper.body(413, "request body too large",
                    List.of("body: must be at most " + maxBytes + " bytes")));
        }
        return collector.collect(contextId, kind, parse(bytes)).thenApply(event -> Response.status(201).build());
    }

    private ClientEvent parse(byte[] bytes) {
        if (bytes.length == 0) {
            return new ClientEvent(null, null, null, null, null);
        }
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidEvent("malformed request body", List.of("body: is not valid JSON"));
        } catch (IOException e) {
            throw new InvalidEvent("malformed request body", List.of("body: could not be read"));
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new ClientEvent(null, null, null, null, null);
        }
        if (!root.isObject()) {
            throw new InvalidEvent("malformed request body", List.of("body: must be a JSON object"));
        }
        List<String> errors = new ArrayList<>();
        String messageId = text(root, "messageId", errors);
        String foreignId = text(root, "foreignId", errors);
        String action = text(root, "action", errors);
        String contextId = text(root, "contextId", errors);
        Object ts = null;
        JsonNode tsNode = root.get("ts");
        if (tsNode != null && !tsNode.isNull()) {
            if (tsNode.isNumber()) {
                ts = tsNode.numberValue();
            } else if (tsNode.isTextual()) {
                ts = tsNode.asText();
            } else {
                errors.add("ts: must be an ISO-8601 string or epoch milliseconds");
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidEvent("invalid event", errors);
        }
        return new ClientEvent(messageId, foreignId, action, ts, contextId);
    }

    /** A string field; numbers are taken as their text (some SDKs send numeric foreign ids). */
    private static String text(JsonNode root, String field, List<String> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual() || node.isNumber()) {
            return node.asText();
        }
        errors.add(field + ": must be a string");
        return null;
    }
}
