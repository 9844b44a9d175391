package io.pushcore.send.http;

import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pushcore.model.RawContent;
import io.pushcore.send.ApiProblem;

/**
 * A raw context (CORE's {@code CreateBucketRawContextDto}, beta in CORE); also the {@code metadata} of send/raw.
 * Every object is optional and kept as the JSON it was sent as ({@link RawContent} says which receiver gets which,
 * {@link io.pushcore.model.RawRules} what each may hold). {@code common.ttl} (seconds) and {@code common.expiresAt}
 * (ISO-8601) are the context's lifetime, as {@code ttl} and {@code expiresAt} of a data context.
 */
public record RawContextRequest(JsonNode common, JsonNode chromium, JsonNode edge, JsonNode firefox,
        JsonNode safariVapid, JsonNode safari, JsonNode ios, JsonNode android, JsonNode huawei) {

    /**
     * The content, once every given value is an object.
     *
     * @param path prefix naming the fields in errors ({@code ""} or {@code "metadata."})
     * @throws ApiProblem.Invalid naming each value that is not an object
     */
    RawContent toContent(String path) {
        List<String> errors = new ArrayList<>();
        RawContent content = new RawContent(object(path, "common", common, errors),
                object(path, "chromium", chromium, errors), object(path, "edge", edge, errors),
                object(path, "firefox", firefox, errors), object(path, "safariVapid", safariVapid, errors),
                object(path, "safari", safari, errors), object(path, "ios", ios, errors),
                object(path, "android", android, errors), object(path, "huawei", huawei, errors));
        if (!errors.isEmpty()) {
            throw new ApiProblem.Invalid("invalid context", errors);
        }
        return content;
    }

    /**
     * {@code common.ttl}: whole seconds, at least 1; null when absent.
     *
     * @throws ApiProblem.Invalid when it is something else
     */
    Long ttl(String path) {
        JsonNode ttl = common == null ? null : common.get("ttl");
        if (ttl == null || ttl.isNull()) {
            return null;
        }
        if (!ttl.isIntegralNumber() || ttl.bigIntegerValue().compareTo(BigInteger.ONE) < 0
                || ttl.bigIntegerValue().bitLength() > 62) {
            throw new ApiProblem.Invalid("invalid context",
                    List.of(path + "common.ttl: must be a whole number of seconds, at least 1"));
        }
        return ttl.longValue();
    }

    /**
     * {@code common.expiresAt}; null when absent.
     *
     * @throws ApiProblem.Invalid when it is not an ISO-8601 instant
     */
    Instant expiresAt(String path) {
        JsonNode expiresAt = common == null ? null : common.get("expiresAt");
        if (expiresAt == null || expiresAt.isNull()) {
            return null;
        }
        try {
            if (expiresAt.isTextual()) {
                return Instant.parse(expiresAt.asText());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new ApiProblem.Invalid("invalid context", List.of(path
                + "common.expiresAt: must be an ISO-8601 date and time, e.g. 2026-07-05T08:19:58.715Z"));
    }

    private static ObjectNode object(String path, String field, JsonNode value, List<String> errors) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            errors.add(path + field + ": must be an object");
            return null;
        }
        return (ObjectNode) value;
    }
}
