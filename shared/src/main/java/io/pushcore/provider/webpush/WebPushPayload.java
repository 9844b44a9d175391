package io.pushcore.provider.webpush;

import java.net.URI;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pushcore.model.Action;
import io.pushcore.model.Behaviour;
import io.pushcore.model.DataContent;
import io.pushcore.model.Push;
import io.pushcore.model.RawContent;
import io.pushcore.model.SilentContent;

/**
 * The JSON the CORE web SDK's service worker ({@code src/browser/worker/worker.ts}) decrypts and parses. It calls
 * {@code showNotification(payload.title, payload)}, so the top level is {@code title} plus NotificationOptions,
 * and {@code data} carries the ids, the click targets ({@code actionsMap}: an action without its own URL opens the
 * context's) and the extras. Null fields are left out; every action has its {@code title}, which browsers require.
 *
 * <p>
 * Mapping decisions: the numeric CORE {@code badge} is the app badge count and goes to {@code data.badge}
 * ({@code setAppBadge}); the NotificationOptions {@code badge} is the small monochrome icon URL shown where there
 * is no room for the full icon, which is what CORE's {@code smallIcon} means, so {@code smallIcon} fills it.
 * {@code subtitle}, {@code channelName}, {@code badgeMobile} and sounds have no web meaning and are not sent.
 * A silent push has no {@code title}, only {@code data} with {@code _silent: true}.
 *
 * <p>
 * A raw context ({@link RawContent}) gives the subscription's push service its object ({@code chromium},
 * {@code edge}, {@code firefox}, {@code safariVapid}) laid over {@code common}, whose fields map to
 * NotificationOptions as {@code title}, {@code body}, {@code iconUrl} → {@code icon}, {@code imageUrl} →
 * {@code image}, {@code collapseKey} → {@code tag} and {@code data}. The object's keys go to the worker as given.
 * {@code data} stays where the worker reads the ids: a string {@code data} becomes {@code data.externalData} (the
 * worker hands it to {@code onExternalData}; so does an {@code externalData} string, as CORE's JS SDK types it),
 * and {@code data.actionsMap}, which the worker indexes on every click, is built from {@code defaultAction} and
 * the {@code behaviour} fields CORE's JS SDK types on web objects and their actions, unless the object brings its
 * own.
 */
public final class WebPushPayload {

    /** The one Jackson mapper of this package (payloads and VAPID claims). */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private WebPushPayload() {
    }

    /** The payload for {@code push} as any push service receives it but the four a raw context can address. */
    public static byte[] json(Push push) {
        return json(push, (RawContent.Platform) null);
    }

    /** The UTF-8 JSON payload for {@code push} to a subscription at {@code endpoint}, before encryption. */
    public static byte[] json(Push push, URI endpoint) {
        return json(push, RawContent.webPlatform(endpoint));
    }

    /**
     * The payload for {@code push} to a subscription of {@code platform}'s push service (null: any other), which
     * only raw contexts tell apart.
     */
    public static byte[] json(Push push, RawContent.Platform platform) {
        ObjectNode root = switch (push.content()) {
            case DataContent data -> visible(push, data);
            case SilentContent silent -> silent(push, silent);
            case RawContent raw -> raw(push, raw, platform);
        };
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the web push payload", e);
        }
    }

    private static ObjectNode visible(Push push, DataContent content) {
        ObjectNode root = MAPPER.createObjectNode();
        putIfPresent(root, "title", content.title());
        putIfPresent(root, "body", content.body());
        putIfPresent(root, "icon", content.icon());
        putIfPresent(root, "image", content.image());
        putIfPresent(root, "badge", content.smallIcon());
        DataContent.WebOptions web = content.web();
        putIfPresent(root, "lang", web.lang());
        putIfPresent(root, "tag", web.tag());
        if (web.renotify() != null) {
            root.put("renotify", web.renotify());
        }
        if (web.requireInteraction() != null) {
            root.put("requireInteraction", web.requireInteraction());
        }
        if (web.silent() != null) {
            root.put("silent", web.silent());
        }
        if (!web.vibrate().isEmpty()) {
            ArrayNode vibrate = root.putArray("vibrate");
            web.vibrate().forEach(vibrate::add);
        }
        if (!content.actions().isEmpty()) {
            ArrayNode actions = root.putArray("actions");
            for (Action action : content.actions()) {
                ObjectNode node = actions.addObject();
                node.put("action", action.action());
                node.put("title", action.label());
                putIfPresent(node, "icon", action.icon());
            }
        }

        ObjectNode data = ids(root, push);
        ObjectNode actionsMap = data.putObject("actionsMap");
        putIfPresent(actionsMap, "default", content.clickUrl(Behaviour.Platform.WEB_PUSH));
        for (Action action : content.actions()) {
            putIfPresent(actionsMap, action.action(), content.actionUrl(action, Behaviour.Platform.WEB_PUSH));
        }
        if (content.badge() != null) {
            data.put("badge", content.badge());
        }
        putIfPresent(data, "externalData", content.externalData());
        return root;
    }

    private static ObjectNode silent(Push push, SilentContent content) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode data = ids(root, push);
        putIfPresent(data, "externalData", content.externalData());
        data.put("_silent", true);
        return root;
    }

    private static ObjectNode raw(Push push, RawContent content, RawContent.Platform platform) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode common = content.common();
        copy(common, "title", root, "title");
        copy(common, "body", root, "body");
        copy(common, "iconUrl", root, "icon");
        copy(common, "imageUrl", root, "image");
        copy(common, "collapseKey", root, "tag");
        copy(common, "data", root, "data");
        ObjectNode own = platform == null ? null : content.object(platform);
        if (own != null) {
            own.fields().forEachRemaining(field -> root.set(field.getKey(), field.getValue().deepCopy()));
        }
        JsonNode given = root.remove("data");
        ObjectNode data = given != null && given.isObject() ? (ObjectNode) given : MAPPER.createObjectNode();
        if (given != null && given.isTextual()) {
            data.put("externalData", given.asText());
        }
        if (!data.has("actionsMap")) {
            data.set("actionsMap", rawActionsMap(root));
        }
        if (!data.has("externalData")) {
            putIfPresent(data, "externalData", root.path("externalData").textValue());
        }
        data.put("contextId", string(push.contextId()));
        data.put("messageId", string(push.messageId()));
        putIfPresent(data, "foreignId", push.foreignId());
        root.set("data", data);
        return root;
    }

    /**
     * The worker's click targets for a raw web object: {@code default} is CORE's {@code defaultAction}, else the
     * {@code behaviourWebPush} or {@code behaviour} that CORE's JS SDK types on web objects; each action's is its own
     * {@code behaviourWebPush} or {@code behaviour}.
     */
    private static ObjectNode rawActionsMap(ObjectNode root) {
        ObjectNode actionsMap = MAPPER.createObjectNode();
        putIfPresent(actionsMap, "default", firstText(root, "defaultAction", "behaviourWebPush", "behaviour"));
        for (JsonNode action : root.path("actions")) {
            if (action.path("action").isTextual()) {
                putIfPresent(actionsMap, action.get("action").asText(),
                        firstText(action, "behaviourWebPush", "behaviour"));
            }
        }
        return actionsMap;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            if (node.path(field).isTextual()) {
                return node.get(field).asText();
            }
        }
        return null;
    }

    private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value.deepCopy());
        }
    }

    private static ObjectNode ids(ObjectNode root, Push push) {
        ObjectNode data = root.putObject("data");
        data.put("contextId", string(push.contextId()));
        data.put("messageId", string(push.messageId()));
        putIfPresent(data, "foreignId", push.foreignId());
        return data;
    }

    private static String string(UUID id) {
        return id.toString();
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
