package io.pushcore.provider.hms;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pushcore.model.Behaviour;
import io.pushcore.model.Content;
import io.pushcore.model.DataContent;
import io.pushcore.model.Push;
import io.pushcore.model.RawContent;
import io.pushcore.model.SilentContent;
import io.pushcore.provider.fcm.FcmPayload;

/**
 * The Push Kit data message the CORE Android SDK parses on Huawei devices. Its {@code HmsNotificationTranslator}
 * reads {@code message.data} (a JSON string) as an object: {@code _ppg} holds the same JSON string as FCM's
 * {@code _ppg} (the SDK's {@code RemotePpgMessage}, with the {@code behaviourHuawei} click targets), checked first;
 * otherwise an object with a {@code _silent} key is itself read as the {@code SilentPpgMessage}, so a silent
 * message carries its ids at the top level next to {@code _silent}.
 *
 * <p>
 * The request body is {@code {"validate_only":false,"message":{"data":…,"android":{"ttl":"<s>s"},"token":[…]}}}.
 * Push Kit takes up to 1000 tokens per message, but each receiver's payload carries its own message id (the SDKs
 * report events by it), so every message goes to one token. The TTL is the time left until the push expires,
 * at most Push Kit's 15 days. The urgency stays Push Kit's default ({@code NORMAL}): high-priority data messages
 * need a permission Huawei grants per app.
 *
 * <p>
 * A raw context ({@link RawContent}) sends Push Kit's own message: its {@code huawei} object is CORE's camelCase
 * form of Push Kit's {@code AndroidConfig} ({@code biTag}, {@code collapseKey}, {@code fastAppTarget},
 * {@code receiptId}, {@code notification}), written as {@code message.android}'s snake_case fields, laid over what
 * {@code common} maps to: {@code android.notification} with {@code title}, {@code body}, {@code image}
 * ({@code imageUrl}) and {@code click_action: {type: 3}} (open the app), which Push Kit requires of every
 * notification and pushcore adds to a given {@code notification} that lacks one. {@code message.data} is a JSON
 * object: {@code huawei.data} (else {@code common.data}; a string under the key {@code data}) with the ids as
 * {@code messageId}, {@code contextId} and {@code foreignId}; the CORE Android SDK leaves it to the app.
 */
public final class HmsPayload {

    /** Push Kit refuses message bodies over this many bytes, tokens excluded (result code 80300008). */
    public static final int MAX_BYTES = 4096;

    /** The longest TTL Push Kit keeps a message for an offline device. */
    public static final Duration MAX_TTL = Duration.ofDays(15);

    public static final String DATA_KEY = FcmPayload.DATA_KEY;
    public static final String SILENT_KEY = FcmPayload.SILENT_KEY;

    private static final ObjectMapper JSON = new ObjectMapper();

    // CORE's camelCase names of Push Kit's AndroidConfig fields.
    private static final Map<String, String> HUAWEI_FIELDS = Map.of("notification", "notification", "biTag",
            "bi_tag", "collapseKey", "collapse_key", "fastAppTarget", "fast_app_target", "receiptId", "receipt_id");

    private HmsPayload() {
    }

    /** The {@code message.data} string for {@code push}. */
    public static String data(Push push) {
        Map<String, Object> data = switch (push.content()) {
            case DataContent c -> Map.of(DATA_KEY, json(FcmPayload.remoteMessage(push, c, Behaviour.Platform.HUAWEI)));
            case SilentContent c -> {
                Map<String, Object> silent = new LinkedHashMap<>();
                silent.put(SILENT_KEY, true);
                silent.putAll(FcmPayload.silentMessage(push, c));
                yield silent;
            }
            case RawContent c -> rawData(push, c);
        };
        return json(data);
    }

    private static Map<String, Object> rawData(Push push, RawContent c) {
        JsonNode given = c.huawei() != null && c.huawei().has("data") ? c.huawei().get("data")
                : c.common().get("data");
        Map<String, Object> data = new LinkedHashMap<>();
        if (given != null && given.isTextual()) {
            data.put("data", given.asText());
        } else if (given != null) {
            given.fields().forEachRemaining(field -> data.put(field.getKey(), field.getValue()));
        }
        data.put("messageId", push.messageId().toString());
        data.put("contextId", push.contextId().toString());
        if (push.foreignId() != null) {
            data.put("foreignId", push.foreignId());
        }
        return data;
    }

    private static void rawAndroid(ObjectNode android, RawContent c) {
        ObjectNode common = c.common();
        ObjectNode notification = JSON.createObjectNode();
        for (String[] field : new String[][] {{"title", "title"}, {"body", "body"}, {"imageUrl", "image"}}) {
            if (common.path(field[0]).isTextual()) {
                notification.put(field[1], common.get(field[0]).asText());
            }
        }
        if (notification.has("title") || notification.has("body")) {
            android.set("notification", notification);
        }
        if (c.huawei() != null) {
            c.huawei().fields().forEachRemaining(field -> {
                String name = HUAWEI_FIELDS.get(field.getKey());
                if (name != null) {
                    android.set(name, field.getValue().deepCopy());
                }
            });
        }
        if (android.get("notification") instanceof ObjectNode n && !n.has("click_action")) {
            n.putObject("click_action").put("type", 3);
        }
    }

    /** The request body for {@code push} to {@code tokens}, expiring after {@code ttl}. */
    public static byte[] body(Push push, List<String> tokens, Duration ttl) {
        ObjectNode root = JSON.createObjectNode();
        root.put("validate_only", false);
        ObjectNode message = root.putObject("message");
        message.put("data", data(push));
        ObjectNode android = message.putObject("android");
        android.put("ttl", ttlSeconds(ttl) + "s");
        if (push.content() instanceof RawContent raw) {
            rawAndroid(android, raw);
        }
        ArrayNode to = message.putArray("token");
        tokens.forEach(to::add);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a Push Kit message", e);
        }
    }

    /** What Push Kit counts against {@link #MAX_BYTES}: the body without its tokens. */
    public static int size(Push push) {
        return body(push, List.of(), MAX_TTL).length;
    }

    /**
     * Checks at context creation that {@code content} fits Push Kit with room for the per-receiver ids; a
     * receiver's {@code foreignId} adds its own length, which {@link HmsProvider} checks again per send.
     *
     * @throws IllegalArgumentException {@code "payload: ..."} when it does not fit
     */
    public static void checkFits(Content content) {
        String misfit = misfit(content);
        if (misfit != null) {
            throw new IllegalArgumentException("payload: " + misfit);
        }
    }

    /**
     * Why {@code content} does not fit Push Kit ({@code "the Push Kit message would be N bytes; ..."}), or null when
     * it fits; see {@link #checkFits}.
     */
    public static String misfit(Content content) {
        int size = size(new Push(UUID.randomUUID(), UUID.randomUUID(), null, content, Instant.EPOCH));
        return size <= MAX_BYTES ? null
                : "the Push Kit message would be " + size + " bytes; Push Kit accepts at most " + MAX_BYTES;
    }

    // Whole seconds, rounded down so a message never outlives its context; at least 1 (0 is "expired" to Push Kit).
    static long ttlSeconds(Duration ttl) {
        return Math.max(1, Math.min(MAX_TTL.toSeconds(), ttl.toSeconds()));
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a Push Kit payload", e);
        }
    }
}
