package io.pushcore.testing.sdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a decrypted web push payload as ppg-core-js-sdk's service worker does
 * ({@code src/browser/worker/worker.ts}, {@code registerPushEventHandler} and
 * {@code registerNotificationClickEventHandler}), and checks what {@code showNotification(payload.title, payload)}
 * checks before it shows anything (the Notifications API's "create a notification" steps and the WebIDL types of
 * {@code NotificationOptions}): every action is an object with {@code action} and {@code title} strings,
 * {@code renotify: true} needs a non-empty {@code tag}, {@code silent: true} cannot come with {@code vibrate}.
 * Any of these failing throws a {@code TypeError} and the notification never shows. The worker itself reads
 * {@code data._silent}, {@code data.badge} (a number), {@code data.externalData} (a string), the ids for the event
 * URLs, and {@code data.actionsMap[action || 'default']} on click.
 */
public final class WebSdk {

    private WebSdk() {
    }

    public sealed interface Push {
    }

    /** A shown notification. */
    public record Shown(String title, Map<String, Object> options, UUID contextId, UUID messageId, String foreignId,
            Map<String, String> actionsMap, List<Action> actions, Double badge, String externalData) implements Push {
    }

    /** A NotificationAction. */
    public record Action(String action, String title, String icon) {
    }

    /** {@code data._silent}: only a delivered event. */
    public record Silent(UUID contextId, UUID messageId, String foreignId, String externalData) implements Push {
    }

    /** The decrypted payload text. */
    public static Push decode(String payload) {
        JsonNode root = Json.object(Json.parse(payload, "payload"), "payload");
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new SdkDecodeException("data: parsedData.data._silent throws a TypeError without data");
        }
        UUID contextId = uuid(data, "contextId");
        UUID messageId = uuid(data, "messageId");
        String foreignId = optionalString(data, "foreignId", "data");
        String externalData = data.path("externalData").isTextual() ? data.path("externalData").asText() : null;
        if (truthy(data.get("_silent"))) {
            return new Silent(contextId, messageId, foreignId, externalData);
        }
        Map<String, Object> options = new LinkedHashMap<>();
        for (String field : List.of("body", "icon", "image", "badge", "lang", "tag")) {
            String value = optionalString(root, field, "options");
            if (value != null) {
                options.put(field, value);
            }
        }
        for (String field : List.of("renotify", "requireInteraction", "silent")) {
            JsonNode v = root.get(field);
            if (v != null && !v.isBoolean()) {
                throw new SdkDecodeException("options." + field + ": must be a boolean");
            }
            if (v != null) {
                options.put(field, v.asBoolean());
            }
        }
        JsonNode vibrate = root.get("vibrate");
        if (vibrate != null) {
            if (!vibrate.isArray()) {
                throw new SdkDecodeException("options.vibrate: must be a sequence of unsigned longs");
            }
            vibrate.forEach(v -> {
                if (!v.isIntegralNumber() || v.asLong() < 0) {
                    throw new SdkDecodeException("options.vibrate: must be a sequence of unsigned longs");
                }
            });
        }
        if (Boolean.TRUE.equals(options.get("renotify")) && ((String) options.getOrDefault("tag", "")).isEmpty()) {
            throw new SdkDecodeException("options.renotify: true with an empty tag: showNotification throws");
        }
        if (Boolean.TRUE.equals(options.get("silent")) && vibrate != null) {
            throw new SdkDecodeException("options.vibrate: present with silent: true: showNotification throws");
        }
        List<Action> actions = new ArrayList<>();
        JsonNode actionsNode = root.get("actions");
        if (actionsNode != null) {
            if (!actionsNode.isArray()) {
                throw new SdkDecodeException("options.actions: must be a sequence of NotificationAction");
            }
            for (int i = 0; i < actionsNode.size(); i++) {
                JsonNode a = actionsNode.get(i);
                String path = "options.actions[" + i + "]";
                if (!a.isObject() || !a.path("action").isTextual() || !a.path("title").isTextual()) {
                    throw new SdkDecodeException(path + ": action and title are required strings: showNotification "
                            + "throws");
                }
                actions.add(new Action(a.path("action").asText(), a.path("title").asText(),
                        optionalString(a, "icon", path)));
            }
        }
        JsonNode map = data.get("actionsMap");
        if (map == null || !map.isObject()) {
            throw new SdkDecodeException("data.actionsMap: reading actionsMap[action] on click throws without it");
        }
        Map<String, String> actionsMap = new LinkedHashMap<>();
        map.properties().forEach(e -> {
            if (!e.getValue().isTextual()) {
                throw new SdkDecodeException("data.actionsMap." + e.getKey() + ": must be a URL string");
            }
            actionsMap.put(e.getKey(), e.getValue().asText());
        });
        JsonNode title = root.get("title");
        Double badge = data.path("badge").isNumber() ? data.path("badge").asDouble() : null;
        return new Shown(title == null ? "undefined" : title.asText(), options, contextId, messageId, foreignId,
                actionsMap, actions, badge, externalData);
    }

    // The ids go into the event URL and body; the event API takes UUIDs only.
    private static UUID uuid(JsonNode data, String field) {
        if (!data.path(field).isTextual()) {
            throw new SdkDecodeException("data." + field + ": missing; the delivered event would go to /context/"
                    + "undefined/events");
        }
        return Json.uuid(data.path(field).asText(), "data." + field);
    }

    private static String optionalString(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new SdkDecodeException(path + "." + field + ": must be a string, is " + v.getNodeType());
        }
        return v.asText();
    }

    private static boolean truthy(JsonNode v) {
        return v != null && !v.isNull() && !(v.isBoolean() && !v.asBoolean()) && !(v.isNumber() && v.asDouble() == 0)
                && !(v.isTextual() && v.asText().isEmpty());
    }
}
