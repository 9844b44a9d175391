package io.pushcore.route;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pushcore.crypto.CredentialCipher;

/**
 * S3 keys and JSON of the routing records (format in the package documentation), and sealing of the callback.
 * Stateless and thread-safe.
 */
public final class RouteCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RouteCodec() {
    }

    /** {@code routes/contexts/<contextId>.json} */
    public static String contextKey(UUID contextId) {
        return "routes/contexts/" + contextId + ".json";
    }

    /** {@code routes/buckets/<bucketId>.json} */
    public static String bucketKey(UUID bucketId) {
        return "routes/buckets/" + bucketId + ".json";
    }

    public static byte[] write(ContextRoute route) {
        ObjectNode node = JSON.createObjectNode();
        node.put("contextId", route.contextId().toString());
        node.put("bucketId", route.bucketId().toString());
        node.put("retainUntil", route.retainUntil().toString());
        return bytes(node);
    }

    public static byte[] write(BucketRoute route) {
        ObjectNode node = JSON.createObjectNode();
        node.put("bucketId", route.bucketId().toString());
        node.put("sealedCallback", route.sealedCallback());
        node.put("retainUntil", route.retainUntil().toString());
        if (route.disabledAt() != null) {
            node.put("disabledAt", route.disabledAt().toString());
        }
        return bytes(node);
    }

    /** @throws IllegalArgumentException when the document is not a context route */
    public static ContextRoute readContext(byte[] document) {
        JsonNode node = tree(document);
        return new ContextRoute(uuid(node, "contextId"), uuid(node, "bucketId"), instant(node, "retainUntil"));
    }

    /** @throws IllegalArgumentException when the document is not a bucket route */
    public static BucketRoute readBucket(byte[] document) {
        JsonNode node = tree(document);
        JsonNode disabled = node.get("disabledAt");
        return new BucketRoute(uuid(node, "bucketId"), text(node, "sealedCallback"), instant(node, "retainUntil"),
                disabled == null || disabled.isNull() ? null : instant(node, "disabledAt"));
    }

    /**
     * Base64 of the callback's JSON sealed under {@code cipher} with associated data {@code <bucketId>:callback},
     * so a sealed callback cannot be moved to another bucket. The one writer of this format: send-function seals its
     * stored bucket's callback with it and copies that value into the bucket's route.
     */
    public static String sealCallback(CredentialCipher cipher, UUID bucketId, Callback callback) {
        ObjectNode node = JSON.createObjectNode();
        switch (callback) {
            case Callback.None none -> node.put("type", "none");
            case Callback.Http http -> {
                node.put("type", "http");
                node.put("url", http.url().toString());
                ObjectNode headers = node.putObject("headers");
                http.headers().forEach(headers::put);
                if (http.secret() != null) {
                    node.put("secret", http.secret());
                }
            }
        }
        return Base64.getEncoder().encodeToString(cipher.seal(bytes(node), callbackAad(bucketId)));
    }

    /**
     * Opens a callback sealed by {@link #sealCallback}.
     *
     * @throws io.pushcore.crypto.CredentialCipherException when it was sealed under another key or bucket
     * @throws IllegalArgumentException when the plaintext is not a callback
     */
    public static Callback openCallback(CredentialCipher cipher, UUID bucketId, String sealed) {
        JsonNode node = tree(cipher.open(Base64.getDecoder().decode(sealed), callbackAad(bucketId)));
        String type = node.path("type").asText("");
        if (type.equals("none")) {
            return new Callback.None();
        }
        if (!type.equals("http")) {
            throw new IllegalArgumentException("callback has an unknown type");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        node.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        JsonNode secret = node.get("secret");
        return new Callback.Http(URI.create(text(node, "url")), headers,
                secret == null || secret.isNull() ? null : secret.asText());
    }

    /** {@code <bucketId>:callback} in UTF-8. */
    public static byte[] callbackAad(UUID bucketId) {
        return (bucketId + ":callback").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(byte[] document) {
        try {
            JsonNode node = JSON.readTree(document);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("route document is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("route document is not JSON", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value.asText();
    }

    private static UUID uuid(JsonNode node, String field) {
        return UUID.fromString(text(node, field));
    }

    private static Instant instant(JsonNode node, String field) {
        try {
            return Instant.parse(text(node, field));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an ISO-8601 instant", e);
        }
    }
}
