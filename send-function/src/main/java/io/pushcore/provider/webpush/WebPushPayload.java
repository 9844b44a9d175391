package io.pushcore.provider.webpush;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.model.DataContent;
import io.pushcore.model.Push;
import io.pushcore.model.SilentContent;

// TEMPORARY stand-in for helper A's shared class; deleted when main has the real one.
public final class WebPushPayload {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static byte[] json(Push push) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("contextId", push.contextId().toString());
        data.put("messageId", push.messageId().toString());
        data.put("foreignId", push.foreignId());
        switch (push.content()) {
            case DataContent d -> {
                root.put("title", d.title());
                root.put("body", d.body());
                data.put("externalData", d.externalData());
            }
            case SilentContent s -> {
                data.put("_silent", true);
                data.put("externalData", s.externalData());
            }
        }
        root.put("data", data);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
