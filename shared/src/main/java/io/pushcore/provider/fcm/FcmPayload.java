package io.pushcore.provider.fcm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.model.Action;
import io.pushcore.model.Behaviour;
import io.pushcore.model.Content;
import io.pushcore.model.DataContent;
import io.pushcore.model.Push;
import io.pushcore.model.SilentContent;

/**
 * The FCM data map the CORE Android SDK parses ({@code FcmNotificationTranslator}): one key, {@code _ppg} for a
 * visible notification or {@code _silent} for a silent push, whose value is a JSON string of the SDK's
 * {@code RemotePpgMessage} or {@code SilentPpgMessage}. The SDK reads those with Gson, which ignores Kotlin
 * defaults, so every field it declares non-null is always written ({@code actions}, {@code channelName}, and each
 * action's {@code action}, {@code title} and {@code actionUrl}); other null fields are left out. The same JSON goes
 * to Huawei devices ({@code io.pushcore.provider.hms.HmsPayload}), with the Huawei click targets.
 */
public final class FcmPayload {

    /** FCM refuses data messages whose keys and values exceed this many bytes (INVALID_ARGUMENT). */
    public static final int MAX_BYTES = 4096;

    public static final String DATA_KEY = "_ppg";
    public static final String SILENT_KEY = "_silent";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FcmPayload() {
    }

    /** The message's {@code data} map for {@code push}. */
    public static Map<String, String> of(Push push) {
        return switch (push.content()) {
            case DataContent c -> Map.of(DATA_KEY, json(remoteMessage(push, c, Behaviour.Platform.ANDROID)));
            case SilentContent c -> Map.of(SILENT_KEY, json(silentMessage(push, c)));
        };
    }

    /** The bytes FCM counts against {@link #MAX_BYTES}: every key and value, UTF-8. */
    public static int size(Map<String, String> data) {
        int size = 0;
        for (Map.Entry<String, String> e : data.entrySet()) {
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }

    /**
     * Checks at context creation that {@code content} fits FCM with room for the per-receiver ids; a receiver's
     * {@code foreignId} adds its own length, which {@link FcmProvider} checks again per send.
     *
     * @throws IllegalArgumentException {@code "payload: ..."} when it does not fit
     */
    public static void checkFits(Content content) {
        int size = size(of(new Push(UUID.randomUUID(), UUID.randomUUID(), null, content, Instant.EPOCH)));
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("payload: the FCM data would be " + size + " bytes; FCM accepts at most "
                    + MAX_BYTES);
        }
    }

    /** The SDK's {@code RemotePpgMessage} for {@code push}, with the click targets of {@code platform}. */
    public static Map<String, Object> remoteMessage(Push push, DataContent c, Behaviour.Platform platform) {
        Map<String, Object> m = ids(push);
        put(m, "title", c.title());
        put(m, "body", c.body());
        put(m, "icon", c.icon());
        put(m, "image", c.image());
        put(m, "smallIcon", c.smallIcon());
        m.put("actions", actions(c, platform));
        put(m, "defaultAction", c.clickUrl(platform));
        put(m, "badge", c.mobileBadge());
        m.put("channelName", c.channelName() != null ? c.channelName() : "default");
        put(m, "externalData", c.externalData());
        return m;
    }

    // The SDK's Action declares action, title and actionUrl non-null: a tap runs Uri.parse(actionUrl).
    private static List<Map<String, Object>> actions(DataContent c, Behaviour.Platform platform) {
        List<Map<String, Object>> actions = new ArrayList<>();
        for (Action a : c.actions()) {
            Map<String, Object> action = new LinkedHashMap<>();
            action.put("action", a.action());
            action.put("title", a.label());
            String url = c.actionUrl(a, platform);
            action.put("actionUrl", url != null ? url : "");
            put(action, "icon", a.icon());
            actions.add(action);
        }
        return actions;
    }

    /** The SDK's {@code SilentPpgMessage} for {@code push}. */
    public static Map<String, Object> silentMessage(Push push, SilentContent c) {
        Map<String, Object> m = ids(push);
        put(m, "externalData", c.externalData());
        return m;
    }

    private static Map<String, Object> ids(Push push) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", push.messageId().toString());
        m.put("contextId", push.contextId().toString());
        put(m, "foreignId", push.foreignId());
        return m;
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an FCM payload", e);
        }
    }
}
