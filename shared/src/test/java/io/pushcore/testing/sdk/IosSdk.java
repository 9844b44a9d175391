package io.pushcore.testing.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads an APNs payload as ppg-core-ios-sdk does:
 * <ul>
 * <li>{@code PpgCoreSDK/Models/NotificationFactory.swift}: {@code messageId} as a String marks a CORE message; a
 * {@code silent} String makes it silent, else it is data;</li>
 * <li>{@code PpgCoreSDK/Models/DataNotification.swift} and {@code SilentNotification.swift}: {@code contextId} and
 * {@code messageId} force-unwrapped ({@code as? String)!} then {@code UUID(uuidString:)!}, so a missing or
 * malformed one crashes; {@code foreignId}, {@code channelName}, {@code icon}, {@code image}, {@code url},
 * {@code externalData} optional Strings ({@code as? String}: another type reads as absent);</li>
 * <li>{@code PpgCoreSDK/Models/NotificationAction.swift}: {@code actions} is a JSON <em>string</em> decoded with
 * {@code JSONDecoder} into {@code [NotificationAction]} with {@code icon: String?} and non-optional {@code action},
 * {@code title} and {@code url}; JSONDecoder converts nothing, and any failure is {@code fatalError};</li>
 * <li>data notifications reach the notification service extension only with {@code aps.mutable-content: 1}, silent
 * ones reach {@code didReceiveRemoteNotification} only with {@code aps.content-available: 1}
 * ({@code PpgCoreSDK/PpgCoreNotificationServiceExtension.swift}, {@code PpgCoreClient.swift}).</li>
 * </ul>
 */
public final class IosSdk {

    private IosSdk() {
    }

    public sealed interface Notification {
    }

    /** {@code DataNotification}; {@code title}/{@code subtitle}/{@code body} are the alert's. */
    public record DataNotification(UUID contextId, UUID messageId, String channelName, String externalData,
            String foreignId, List<NotificationAction> actions, String title, String subtitle, String body, String icon,
            String image, String url, Integer badge) implements Notification {
    }

    /** {@code NotificationAction}. */
    public record NotificationAction(String icon, String action, String title, String url) {
    }

    /** {@code SilentNotification}. */
    public record SilentNotification(UUID contextId, UUID messageId, String foreignId, String externalData)
            implements Notification {
    }

    /** An APNs request body (its {@code userInfo}). */
    public static Notification decode(String payload) {
        JsonNode userInfo = Json.object(Json.parse(payload, "payload"), "payload");
        JsonNode aps = Json.object(userInfo.path("aps"), "aps");
        if (!userInfo.path("messageId").isTextual()) {
            throw new SdkDecodeException("messageId: not a String; NotificationFactory reports .unknown");
        }
        if (userInfo.path("silent").isTextual()) {
            if (aps.path("content-available").asInt(0) != 1) {
                throw new SdkDecodeException("aps.content-available: must be 1 for didReceiveRemoteNotification");
            }
            return new SilentNotification(uuid(userInfo, "contextId"), uuid(userInfo, "messageId"),
                    optional(userInfo, "foreignId"), orEmpty(optional(userInfo, "externalData")));
        }
        if (aps.path("mutable-content").asInt(0) != 1) {
            throw new SdkDecodeException("aps.mutable-content: must be 1, or the notification service extension "
                    + "never sees the message");
        }
        JsonNode alert = aps.path("alert");
        List<NotificationAction> actions = new ArrayList<>();
        if (userInfo.path("actions").isTextual()) {
            JsonNode list = Json.parse(userInfo.path("actions").asText(), "actions");
            if (!list.isArray()) {
                throw new SdkDecodeException("actions: JSONDecoder expects an array: fatalError");
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode a = Json.object(list.get(i), "actions[" + i + "]");
                String path = "actions[" + i + "]";
                JsonNode icon = a.get("icon");
                if (icon != null && !icon.isNull() && !icon.isTextual()) {
                    throw new SdkDecodeException(path + ".icon: JSONDecoder expects String?: fatalError");
                }
                actions.add(new NotificationAction(icon == null || icon.isNull() ? null : icon.asText(),
                        string(a, "action", path), string(a, "title", path), string(a, "url", path)));
            }
        }
        return new DataNotification(uuid(userInfo, "contextId"), uuid(userInfo, "messageId"),
                orDefault(optional(userInfo, "channelName")), orEmpty(optional(userInfo, "externalData")),
                optional(userInfo, "foreignId"), actions, optional(alert, "title"), optional(alert, "subtitle"),
                optional(alert, "body"), optional(userInfo, "icon"), optional(userInfo, "image"),
                optional(userInfo, "url"), aps.path("badge").isInt() ? aps.path("badge").asInt() : null);
    }

    private static UUID uuid(JsonNode userInfo, String field) {
        if (!userInfo.path(field).isTextual()) {
            throw new SdkDecodeException(field + ": (as? String)! crashes on " + userInfo.path(field).getNodeType());
        }
        return Json.uuid(userInfo.path(field).asText(), field + " (UUID(uuidString:)! crashes)");
    }

    private static String string(JsonNode action, String field, String path) {
        JsonNode v = action.get(field);
        if (v == null || !v.isTextual()) {
            throw new SdkDecodeException(path + "." + field + ": JSONDecoder expects a String, is "
                    + (v == null ? "missing" : v.getNodeType()) + ": fatalError");
        }
        return v.asText();
    }

    private static String optional(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String orDefault(String channel) {
        return channel == null ? "default" : channel;
    }
}
