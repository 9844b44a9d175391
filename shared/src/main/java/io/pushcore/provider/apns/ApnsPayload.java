package io.pushcore.provider.apns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pushcore.model.Action;
import io.pushcore.model.Behaviour;
import io.pushcore.model.Content;
import io.pushcore.model.DataContent;
import io.pushcore.model.Push;
import io.pushcore.model.RawContent;
import io.pushcore.model.SilentContent;

/**
 * The JSON body APNs delivers, in the shape the CORE iOS SDK parses ({@code NotificationFactory},
 * {@code DataNotification}, {@code SilentNotification}): the {@code aps} dictionary plus top-level custom keys.
 * {@code actions} is a JSON string the SDK decodes into {@code NotificationAction}s whose {@code action},
 * {@code title} and {@code url} are non-optional (a decoding failure is a {@code fatalError}), so all three are
 * always written; other null fields are left out, never sent as JSON null.
 *
 * <p>
 * A raw context ({@link RawContent}) sends {@code ios} (an app) or {@code safari} (legacy Safari) laid over
 * {@code common}, which maps to {@code aps.alert.title}/{@code body}, {@code mutable-content: 1} (so the app's
 * notification service extension, where the CORE iOS SDK reports {@code delivered}, runs), the top-level
 * {@code image} and {@code icon} the SDK attaches ({@code imageUrl}, {@code iconUrl}) and a top-level {@code data};
 * for Safari {@code aps.alert} and {@code aps.url-args} (added as {@code []} when a given {@code aps} lacks it,
 * Safari requires it). {@code common.collapseKey} is the {@code apns-collapse-id}. The ids stay at the top level,
 * where the SDK reads them, so it reports a raw push like a data one. A raw payload whose {@code aps} has
 * {@code content-available} and none of {@code alert}, {@code badge} or {@code sound} goes as a background push.
 */
public final class ApnsPayload {

    /** APNs refuses larger payloads for alert and background pushes (413 PayloadTooLarge). */
    public static final int MAX_BYTES = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApnsPayload() {
    }

    /** Where the payload goes: an app through its Notification Service Extension, or legacy Safari. */
    public enum Target {
        IOS, SAFARI
    }

    /** The payload for {@code push} as an iOS app receives it. */
    public static String of(Push push) {
        return of(push, Target.IOS);
    }

    public static String of(Push push, Target target) {
        Map<String, Object> root = root(push, target);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an APNs payload", e);
        }
    }

    private static Map<String, Object> root(Push push, Target target) {
        return switch (push.content()) {
            case DataContent data when target == Target.SAFARI -> safari(push, data);
            case DataContent data -> data(push, data);
            case SilentContent silent -> silent(push, silent);
            case RawContent raw -> raw(push, raw, target);
        };
    }

    /** Whether {@code push} shows an alert (push type {@code alert}) rather than only waking the app. */
    public static boolean isAlert(Push push, Target target) {
        return switch (push.content()) {
            case DataContent data -> true;
            case SilentContent silent -> false;
            case RawContent raw -> {
                JsonNode aps = JSON.valueToTree(root(push, target)).path("aps");
                yield aps.has("alert") || aps.has("badge") || aps.has("sound") || !aps.has("content-available");
            }
        };
    }

    /** The {@code apns-collapse-id} for {@code push}, or null: a raw context's {@code common.collapseKey}. */
    public static String collapseId(Push push) {
        return push.content() instanceof RawContent raw ? raw.common().path("collapseKey").textValue() : null;
    }

    /** The UTF-8 size APNs counts against {@link #MAX_BYTES}. */
    public static int size(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Checks at context creation that {@code content} fits APNs with room for the per-receiver ids; a receiver's
     * {@code foreignId} adds its own length, which {@link ApnsProvider} checks again per send.
     *
     * @throws IllegalArgumentException {@code "payload: ..."} when it does not fit
     */
    public static void checkFits(Content content) {
        checkFits(content, Target.IOS);
    }

    /**
     * As {@link #checkFits(Content)}, for the payload {@code target} receives (only raw contexts send another
     * object to legacy Safari).
     *
     * @throws IllegalArgumentException {@code "payload: ..."} when it does not fit
     */
    public static void checkFits(Content content, Target target) {
        String misfit = misfit(content, target);
        if (misfit != null) {
            throw new IllegalArgumentException("payload: " + misfit);
        }
    }

    /**
     * Why {@code content} does not fit the payload {@code target} receives ({@code "the APNs payload would be N
     * bytes; ..."}), or null when it fits; see {@link #checkFits(Content, Target)}.
     */
    public static String misfit(Content content, Target target) {
        int size = size(of(new Push(UUID.randomUUID(), UUID.randomUUID(), null, content, java.time.Instant.EPOCH),
                target));
        if (size <= MAX_BYTES) {
            return null;
        }
        String what = content instanceof RawContent
                ? "the APNs payload for " + (target == Target.IOS ? "ios" : "safari")
                : "the APNs payload";
        return what + " would be " + size + " bytes; APNs accepts at most " + MAX_BYTES;
    }

    private static Map<String, Object> data(Push push, DataContent c) {
        Map<String, Object> alert = new LinkedHashMap<>();
        put(alert, "title", c.title());
        put(alert, "subtitle", c.subtitle());
        put(alert, "body", c.body());
        Map<String, Object> aps = new LinkedHashMap<>();
        aps.put("alert", alert);
        put(aps, "badge", c.mobileBadge());
        put(aps, "sound", c.sounds().ios() != null ? c.sounds().ios() : c.sounds().fallback());
        put(aps, "category", c.channelName());
        aps.put("mutable-content", 1);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("aps", aps);
        ids(root, push);
        put(root, "externalData", c.externalData());
        put(root, "channelName", c.channelName());
        put(root, "icon", c.icon());
        put(root, "image", c.image());
        put(root, "url", c.clickUrl(Behaviour.Platform.IOS));
        if (!c.actions().isEmpty()) {
            root.put("actions", actions(c));
        }
        return root;
    }

    private static String actions(DataContent c) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Action a : c.actions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "icon", a.icon());
            m.put("action", a.action());
            m.put("title", a.label());
            String url = c.actionUrl(a, Behaviour.Platform.IOS);
            m.put("url", url != null ? url : "");
            list.add(m);
        }
        try {
            // The iOS SDK decodes this key from a JSON string, not from a nested array.
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> silent(Push push, SilentContent c) {
        Map<String, Object> aps = new LinkedHashMap<>();
        aps.put("content-available", 1);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("aps", aps);
        root.put("silent", "1");
        ids(root, push);
        put(root, "externalData", c.externalData());
        return root;
    }

    // Legacy Safari website push shows title and body only and requires url-args, which fill the push
    // package's urlFormatString; the ids ride along for the website's own bookkeeping.
    private static Map<String, Object> safari(Push push, DataContent c) {
        Map<String, Object> alert = new LinkedHashMap<>();
        put(alert, "title", c.title());
        put(alert, "body", c.body());
        Map<String, Object> aps = new LinkedHashMap<>();
        aps.put("alert", alert);
        aps.put("url-args", List.of());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("aps", aps);
        ids(root, push);
        return root;
    }

    private static Map<String, Object> raw(Push push, RawContent c, Target target) {
        ObjectNode common = c.common();
        Map<String, Object> alert = new LinkedHashMap<>();
        put(alert, "title", common.path("title").textValue());
        put(alert, "body", common.path("body").textValue());
        Map<String, Object> aps = new LinkedHashMap<>();
        if (!alert.isEmpty()) {
            aps.put("alert", alert);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("aps", aps);
        if (target == Target.IOS) {
            aps.put("mutable-content", 1);
            put(root, "image", common.path("imageUrl").textValue());
            put(root, "icon", common.path("iconUrl").textValue());
        } else {
            aps.put("url-args", List.of());
        }
        put(root, "data", common.get("data"));
        ObjectNode own = target == Target.IOS ? c.ios() : c.safari();
        if (own != null) {
            own.fields().forEachRemaining(field -> root.put(field.getKey(), field.getValue().deepCopy()));
        }
        if (target == Target.SAFARI && root.get("aps") instanceof ObjectNode given && !given.has("url-args")) {
            given.putArray("url-args");
        }
        ids(root, push);
        return root;
    }

    private static void ids(Map<String, Object> root, Push push) {
        root.put("messageId", push.messageId().toString());
        root.put("contextId", push.contextId().toString());
        put(root, "foreignId", push.foreignId());
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
