package io.pushcore.provider.fcm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.AndroidNotification;

import io.pushcore.model.Action;
import io.pushcore.model.Behaviour;
import io.pushcore.model.Content;
import io.pushcore.model.DataContent;
import io.pushcore.model.Push;
import io.pushcore.model.RawContent;
import io.pushcore.model.SilentContent;

/**
 * The FCM data map the CORE Android SDK parses ({@code FcmNotificationTranslator}): one key, {@code _ppg} for a
 * visible notification or {@code _silent} for a silent push, whose value is a JSON string of the SDK's
 * {@code RemotePpgMessage} or {@code SilentPpgMessage}. The SDK reads those with Gson, which ignores Kotlin
 * defaults, so every field it declares non-null is always written ({@code actions}, {@code channelName}, and each
 * action's {@code action}, {@code title} and {@code actionUrl}); other null fields are left out. The same JSON goes
 * to Huawei devices ({@code io.pushcore.provider.hms.HmsPayload}), with the Huawei click targets.
 *
 * <p>
 * A raw context ({@link RawContent}) sends FCM's own message instead. Its {@code android} object is FCM's
 * {@code AndroidConfig} (camelCase, the fields {@link io.pushcore.model.RawRules} lists) laid over what
 * {@code common} maps to: {@code notification.title}/{@code body}/{@code image} ({@code imageUrl}) and
 * {@code collapseKey}. Its {@code data} (else common's) is the message's data map, a string {@code data} under the
 * key {@code data}; the ids are added to that map as {@code messageId}, {@code contextId} and {@code foreignId}. The
 * CORE Android SDK leaves such messages (no {@code _ppg}) to the app, which finds the ids there. Priority is high
 * unless {@code android.priority} says {@code normal}.
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
            case RawContent c -> rawData(push, c);
        };
    }

    private static Map<String, String> rawData(Push push, RawContent c) {
        JsonNode given = c.android() != null && c.android().has("data") ? c.android().get("data")
                : c.common().get("data");
        Map<String, String> data = new LinkedHashMap<>();
        if (given != null && given.isTextual()) {
            data.put("data", given.asText());
        } else if (given != null) {
            given.fields().forEachRemaining(field -> data.put(field.getKey(), field.getValue().asText()));
        }
        data.put("messageId", push.messageId().toString());
        data.put("contextId", push.contextId().toString());
        if (push.foreignId() != null) {
            data.put("foreignId", push.foreignId());
        }
        return data;
    }

    /**
     * A raw context's {@code android} object over what {@code common} maps to, without {@code data} (which goes to
     * the message's data map).
     */
    static ObjectNode rawAndroid(RawContent c) {
        ObjectNode merged = JSON.createObjectNode();
        ObjectNode common = c.common();
        ObjectNode notification = JSON.createObjectNode();
        for (String[] field : new String[][] {{"title", "title"}, {"body", "body"}, {"imageUrl", "image"}}) {
            if (common.path(field[0]).isTextual()) {
                notification.put(field[1], common.get(field[0]).asText());
            }
        }
        if (!notification.isEmpty()) {
            merged.set("notification", notification);
        }
        if (common.path("collapseKey").isTextual()) {
            merged.put("collapseKey", common.get("collapseKey").asText());
        }
        if (c.android() != null) {
            c.android().fields().forEachRemaining(field -> merged.set(field.getKey(), field.getValue()));
        }
        merged.remove("data");
        return merged;
    }

    /**
     * The {@code AndroidConfig} of a raw push expiring after {@code ttlMillis}.
     *
     * @throws IllegalArgumentException when firebase-admin refuses a value (context creation checks this)
     */
    public static AndroidConfig rawAndroidConfig(RawContent c, long ttlMillis) {
        ObjectNode android = rawAndroid(c);
        AndroidConfig.Builder config = AndroidConfig.builder().setTtl(ttlMillis)
                .setPriority("normal".equals(android.path("priority").textValue()) ? AndroidConfig.Priority.NORMAL
                        : AndroidConfig.Priority.HIGH);
        if (android.path("collapseKey").isTextual()) {
            config.setCollapseKey(android.get("collapseKey").asText());
        }
        if (android.path("restrictedPackageName").isTextual()) {
            config.setRestrictedPackageName(android.get("restrictedPackageName").asText());
        }
        if (android.path("directBootOk").isBoolean()) {
            config.setDirectBootOk(android.get("directBootOk").asBoolean());
        }
        JsonNode n = android.get("notification");
        if (n != null && n.isObject()) {
            AndroidNotification.Builder notification = AndroidNotification.builder();
            text(n, "title").ifPresent(notification::setTitle);
            text(n, "body").ifPresent(notification::setBody);
            text(n, "icon").ifPresent(notification::setIcon);
            text(n, "color").ifPresent(notification::setColor);
            text(n, "sound").ifPresent(notification::setSound);
            text(n, "tag").ifPresent(notification::setTag);
            text(n, "clickAction").ifPresent(notification::setClickAction);
            text(n, "channelId").ifPresent(notification::setChannelId);
            text(n, "image").ifPresent(notification::setImage);
            config.setNotification(notification.build());
        }
        return config.build();
    }

    private static java.util.Optional<String> text(JsonNode node, String field) {
        return java.util.Optional.ofNullable(node.path(field).textValue());
    }

    /**
     * The bytes FCM counts against {@link #MAX_BYTES} for {@code content} sent with {@code data}: every key and
     * value, UTF-8, plus a raw context's {@code android} object as JSON (an upper bound of what FCM counts of it).
     */
    public static int size(Map<String, String> data, Content content) {
        int size = size(data);
        if (content instanceof RawContent raw) {
            size += rawAndroid(raw).toString().getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
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
        String misfit = misfit(content);
        if (misfit != null) {
            throw new IllegalArgumentException(misfit.startsWith("android: ") ? misfit : "payload: " + misfit);
        }
    }

    /**
     * Why {@code content} does not fit FCM, or null when it fits: {@code "android: ..."} for a raw {@code android}
     * object FCM would refuse, else {@code "the FCM data would be N bytes; ..."}; see {@link #checkFits}.
     */
    public static String misfit(Content content) {
        if (content instanceof RawContent raw) {
            try {
                rawAndroidConfig(raw, 0);
            } catch (IllegalArgumentException e) {
                return "android: " + e.getMessage();
            }
        }
        int size = size(of(new Push(UUID.randomUUID(), UUID.randomUUID(), null, content, Instant.EPOCH)), content);
        return size <= MAX_BYTES ? null
                : "the FCM data would be " + size + " bytes; FCM accepts at most " + MAX_BYTES;
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
