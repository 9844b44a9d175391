package io.pushcore.testing.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads FCM and Push Kit data messages as ppg-core-android-sdk does:
 * <ul>
 * <li>{@code core_sdk/…/sdk/fcm/FcmNotificationTranslator.kt}: the data map's {@code _silent} key first, then
 * {@code _ppg}, each a JSON string;</li>
 * <li>{@code core_sdk/…/sdk/hms/HmsNotificationTranslator.kt}: {@code RemoteMessage.getData()} parsed as an object;
 * {@code _ppg} first, read with {@code JsonObject.getStringOrNull} (a JSON string, or {@code asString} throws),
 * else an object with {@code _silent} is itself the silent message;</li>
 * <li>{@code core_sdk/…/sdk/INotificationTranslator.kt}: Gson into {@code RemotePpgMessage} /
 * {@code SilentPpgMessage} ({@code notification/RemotePpgMessage.kt}, {@code notification/SilentPpgMessage.kt}).
 * Gson ignores Kotlin's defaults and nullability, so a field the Kotlin class declares non-null but the JSON
 * lacks is null and fails where it is used: {@code messageId}/{@code contextId} in {@code UUID.fromString}
 * ({@code getMessageMetadata}), {@code channelName} in {@code PpgConfig.getChannelConfig(String)}, {@code actions}
 * in {@code PpgNotificationService}'s loop, an action's {@code actionUrl} in {@code Uri.parse} on tap
 * ({@code getClickUrlForAction}), its {@code title} as the button label. Gson's own types: a {@code String} field
 * takes a JSON string (numbers and booleans are converted), an {@code Int?} a number within int range.</li>
 * </ul>
 */
public final class AndroidSdk {

    private AndroidSdk() {
    }

    /** What the SDK shows: a notification or, for a silent message, nothing but a delivered event. */
    public sealed interface Message {
    }

    /** {@code RemotePpgMessage}. */
    public record RemotePpgMessage(UUID messageId, UUID contextId, String foreignId, String title, String body,
            String icon, String image, String smallIcon, List<Action> actions, String defaultAction, Integer badge,
            String channelName, String externalData) implements Message {
    }

    /** {@code Action} of {@code RemotePpgMessage.kt}. */
    public record Action(String action, String title, String actionUrl, String icon) {
    }

    /** {@code SilentPpgMessage}. */
    public record SilentPpgMessage(UUID messageId, UUID contextId, String foreignId, String externalData)
            implements Message {
    }

    /** An FCM message's {@code data} map. */
    public static Message fromFcm(Map<String, String> data) {
        if (data.containsKey("_silent")) {
            return silent(Json.object(Json.parse(nonNull(data.get("_silent"), "_silent"), "_silent"), "_silent"));
        }
        if (data.containsKey("_ppg")) {
            return remote(Json.object(Json.parse(nonNull(data.get("_ppg"), "_ppg"), "_ppg"), "_ppg"));
        }
        throw new SdkDecodeException("data: neither _silent nor _ppg: PpgNotificationService hits TODO(\"Handle "
                + "Unknown Message\")");
    }

    /** A Push Kit message's {@code data} string. */
    public static Message fromHms(String data) {
        JsonNode root = Json.object(Json.parse(nonNull(data, "data"), "data"), "data");
        if (root.has("_ppg")) {
            JsonNode ppg = root.get("_ppg");
            if (ppg.isNull()) {
                throw new SdkDecodeException("_ppg: null becomes the string \"null\", which Gson reads as no message");
            }
            if (!ppg.isValueNode()) {
                throw new SdkDecodeException("_ppg: must be a JSON string (JsonElement.asString throws for "
                        + ppg.getNodeType() + ")");
            }
            return remote(Json.object(Json.parse(ppg.asText(), "_ppg"), "_ppg"));
        }
        if (root.has("_silent")) {
            return silent(root);
        }
        throw new SdkDecodeException("data: neither _ppg nor _silent: PpgNotificationService hits TODO(\"Handle "
                + "Unknown Message\")");
    }

    private static RemotePpgMessage remote(JsonNode m) {
        JsonNode actionsNode = m.get("actions");
        if (actionsNode == null || actionsNode.isNull()) {
            throw new SdkDecodeException("_ppg.actions: null; the loop over remoteMessage.actions throws");
        }
        if (!actionsNode.isArray()) {
            throw new SdkDecodeException("_ppg.actions: Gson expects an array, is " + actionsNode.getNodeType());
        }
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < actionsNode.size(); i++) {
            JsonNode a = actionsNode.get(i);
            String path = "_ppg.actions[" + i + "]";
            if (!a.isObject()) {
                throw new SdkDecodeException(path + ": Gson expects an object");
            }
            actions.add(new Action(required(a, "action", path), required(a, "title", path),
                    required(a, "actionUrl", path), string(a, "icon", path)));
        }
        String channelName = string(m, "channelName", "_ppg");
        if (channelName == null) {
            throw new SdkDecodeException("_ppg.channelName: null; PpgConfig.getChannelConfig(String) takes non-null");
        }
        return new RemotePpgMessage(uuid(m, "messageId", "_ppg"), uuid(m, "contextId", "_ppg"),
                string(m, "foreignId", "_ppg"), string(m, "title", "_ppg"), string(m, "body", "_ppg"),
                string(m, "icon", "_ppg"), string(m, "image", "_ppg"), string(m, "smallIcon", "_ppg"), actions,
                string(m, "defaultAction", "_ppg"), integer(m, "badge", "_ppg"), channelName,
                string(m, "externalData", "_ppg"));
    }

    private static SilentPpgMessage silent(JsonNode m) {
        return new SilentPpgMessage(uuid(m, "messageId", "_silent"), uuid(m, "contextId", "_silent"),
                string(m, "foreignId", "_silent"), string(m, "externalData", "_silent"));
    }

    private static UUID uuid(JsonNode m, String field, String path) {
        String text = string(m, field, path);
        if (text == null) {
            throw new SdkDecodeException(path + "." + field + ": null; UUID.fromString throws");
        }
        return Json.uuid(text, path + "." + field);
    }

    private static String required(JsonNode m, String field, String path) {
        String text = string(m, field, path);
        if (text == null) {
            throw new SdkDecodeException(path + "." + field + ": null in a field the SDK declares non-null");
        }
        return text;
    }

    /** Gson's String adapter: a string, number or boolean; null or absent is null; objects and arrays throw. */
    private static String string(JsonNode m, String field, String path) {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new SdkDecodeException(path + "." + field + ": Gson expects a string, is " + v.getNodeType());
        }
        return v.asText();
    }

    private static Integer integer(JsonNode m, String field, String path) {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!(v.isIntegralNumber() && v.canConvertToInt()) && !(v.isTextual() && v.asText().matches("-?\\d{1,9}"))) {
            throw new SdkDecodeException(path + "." + field + ": Gson expects an Int, is " + v);
        }
        return v.asInt();
    }

    private static String nonNull(String value, String what) {
        if (value == null) {
            throw new SdkDecodeException(what + ": null; the translator throws \"no data from message\"");
        }
        return value;
    }
}
