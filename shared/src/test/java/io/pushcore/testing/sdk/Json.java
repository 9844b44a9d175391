package io.pushcore.testing.sdk;

import java.io.IOException;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Strict JSON reading shared by the decoders. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static JsonNode parse(String text, String what) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null) {
                throw new SdkDecodeException(what + ": is empty");
            }
            return node;
        } catch (IOException e) {
            throw new SdkDecodeException(what + ": is not JSON (" + e.getMessage() + ")");
        }
    }

    static JsonNode object(JsonNode node, String what) {
        if (!node.isObject()) {
            throw new SdkDecodeException(what + ": must be a JSON object, is " + node.getNodeType());
        }
        return node;
    }

    static UUID uuid(String text, String what) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new SdkDecodeException(what + ": is not a UUID: " + text);
        }
    }
}
