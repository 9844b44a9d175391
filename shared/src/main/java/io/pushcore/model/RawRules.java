package io.pushcore.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a raw context ({@link RawContent}) may hold, checked when it is created. Raw objects reach devices nearly as
 * given, so the rules keep every value bounded, keep pushcore's own ids (which the SDKs report events with) out of
 * the customer's hands, refuse what a CORE SDK or browser would crash on or what pushcore cannot send, and name the
 * field of each problem:
 * <ul>
 * <li>each object at most {@value #MAX_OBJECT_BYTES} bytes as JSON (no provider carries more), all together at most
 * {@value #MAX_TOTAL_BYTES}, nested at most {@value #MAX_DEPTH} deep;</li>
 * <li>{@code messageId}, {@code contextId} and {@code foreignId} are pushcore's: refused in every {@code data}
 * object and at the top of {@code ios} and {@code safari} (where APNs payloads carry them);</li>
 * <li>{@code ttl} and {@code expiresAt} only in {@code common}: they are the context's lifetime, one for all
 * platforms;</li>
 * <li>{@code common}: CORE's fields only ({@value #COMMON_FIELDS}); {@code data} an object of strings or a string;
 * {@code collapseKey} at most 64 bytes (APNs' collapse id limit);</li>
 * <li>web objects: CORE's NotificationOptions fields have their types; other keys go to {@code showNotification}
 * as given. As in {@link DisplayRules}: every action has an {@code action} and a {@code title}, {@code renotify}
 * needs a {@code tag} (its own, else common's {@code collapseKey}), {@code silent} excludes {@code vibrate};
 * {@code data.actionsMap}, the CORE worker's click targets, is an object of strings;</li>
 * <li>{@code ios}: no top-level {@code actions} (the CORE iOS SDK decodes it from a string and stops with
 * {@code fatalError} when it does not decode); {@code aps} is an object;</li>
 * <li>{@code android}: the FCM {@code AndroidConfig} fields pushcore sends ({@value #ANDROID_FIELDS}; notification:
 * {@value #ANDROID_NOTIFICATION_FIELDS}); {@code huawei}: CORE's fields ({@value #HUAWEI_FIELDS}).</li>
 * </ul>
 */
public final class RawRules {

    public static final int MAX_OBJECT_BYTES = 4096;
    public static final int MAX_TOTAL_BYTES = 16384;
    public static final int MAX_DEPTH = 8;
    public static final int MAX_ACTIONS = 10;
    public static final int MAX_VIBRATE = 32;
    public static final int MAX_COLLAPSE_KEY_BYTES = 64;

    /** pushcore's ids, which the SDKs read from every payload. */
    public static final Set<String> IDS = Set.of("messageId", "contextId", "foreignId");

    static final String COMMON_FIELDS = "title, body, collapseKey, data, expiresAt, iconUrl, imageUrl, ttl";
    static final String ANDROID_FIELDS = "collapseKey, priority, restrictedPackageName, directBootOk, data, "
            + "notification";
    static final String ANDROID_NOTIFICATION_FIELDS = "title, body, icon, color, sound, tag, clickAction, channelId, "
            + "image";
    static final String HUAWEI_FIELDS = "notification, biTag, collapseKey, data, fastAppTarget, receiptId";

    private static final Set<String> WEB_STRINGS = Set.of("badge", "image", "icon", "body", "defaultAction", "lang",
            "tag", "title");
    private static final Set<String> WEB_BOOLEANS = Set.of("renotify", "requireInteraction", "silent");
    private static final Set<String> LIFETIME = Set.of("ttl", "expiresAt");
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

    private RawRules() {
    }

    /** The rules {@code content} breaks, as {@code field: reason} with paths relative to the context. */
    public static List<String> problems(RawContent content) {
        List<String> problems = new ArrayList<>();
        int total = 0;
        total += bounded("common", content.common(), problems);
        for (RawContent.Platform platform : RawContent.Platform.values()) {
            ObjectNode object = content.object(platform);
            if (object != null) {
                total += bounded(platform.field(), object, problems);
            }
        }
        if (total > MAX_TOTAL_BYTES) {
            problems.add("context: the raw objects are " + total + " bytes together, at most " + MAX_TOTAL_BYTES);
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        common(content.common(), problems);
        for (RawContent.Platform platform : RawContent.Platform.values()) {
            ObjectNode object = content.object(platform);
            if (object == null) {
                continue;
            }
            String path = platform.field();
            for (String key : LIFETIME) {
                if (object.has(key)) {
                    problems.add(path + "." + key + ": set ttl and expiresAt in common: a context has one lifetime "
                            + "for every platform");
                }
            }
            switch (platform) {
                case CHROMIUM, EDGE, FIREFOX, SAFARI_VAPID -> web(path, object, content.common(), problems);
                case IOS, SAFARI -> apns(path, object, platform == RawContent.Platform.IOS, problems);
                case ANDROID -> android(path, object, problems);
                case HUAWEI -> huawei(path, object, problems);
            }
        }
        return problems;
    }

    private static int bounded(String path, ObjectNode object, List<String> problems) {
        int size = object.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_OBJECT_BYTES) {
            problems.add(path + ": is " + size + " bytes as JSON, at most " + MAX_OBJECT_BYTES);
        }
        if (depth(object) > MAX_DEPTH) {
            problems.add(path + ": nests deeper than " + MAX_DEPTH + " levels");
        }
        return size;
    }

    private static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isContainerNode() ? deepest + 1 : 0;
    }

    private static void common(ObjectNode common, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = common.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = "common." + field.getKey();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "title", "body", "iconUrl", "imageUrl" -> string(path, value, problems);
                case "collapseKey" -> {
                    if (string(path, value, problems)
                            && value.asText().getBytes(StandardCharsets.UTF_8).length > MAX_COLLAPSE_KEY_BYTES) {
                        problems.add(path + ": at most " + MAX_COLLAPSE_KEY_BYTES + " bytes");
                    }
                }
                case "data" -> stringData(path, value, problems);
                case "ttl", "expiresAt" -> {
                    // the context's lifetime: read and checked with the request (Contexts)
                }
                default -> problems.add(path + ": not a field of common (" + COMMON_FIELDS + ")");
            }
        }
    }

    private static void web(String path, ObjectNode object, ObjectNode common, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (WEB_STRINGS.contains(key)) {
                string(path + "." + key, value, problems);
            } else if (WEB_BOOLEANS.contains(key)) {
                if (!value.isBoolean()) {
                    problems.add(path + "." + key + ": must be true or false");
                }
            }
        }
        JsonNode dir = object.get("dir");
        if (dir != null && !(dir.isTextual() && Set.of("auto", "ltr", "rtl").contains(dir.asText()))) {
            problems.add(path + ".dir: must be auto, ltr or rtl");
        }
        JsonNode vibrate = object.get("vibrate");
        if (vibrate != null) {
            if (!vibrate.isArray() || vibrate.size() > MAX_VIBRATE) {
                problems.add(path + ".vibrate: must be an array of at most " + MAX_VIBRATE + " durations");
            } else {
                for (int i = 0; i < vibrate.size(); i++) {
                    if (!vibrate.get(i).canConvertToInt() || vibrate.get(i).asInt() < 0
                            || !vibrate.get(i).isIntegralNumber()) {
                        problems.add(path + ".vibrate[" + i + "]: must be a whole number of milliseconds, 0 or more");
                    }
                }
            }
        }
        actions(path, object.get("actions"), problems);
        JsonNode data = object.get("data");
        if (data != null && !data.isTextual()) {
            if (!data.isObject()) {
                problems.add(path + ".data: must be an object or a string");
            } else {
                reservedIds(path + ".data", data, problems);
                JsonNode actionsMap = data.get("actionsMap");
                if (actionsMap != null && !(actionsMap.isObject() && allStrings(actionsMap))) {
                    problems.add(path + ".data.actionsMap: must be an object of strings (the worker's click "
                            + "targets by action)");
                }
            }
        }
        // As DisplayRules: browsers throw from showNotification for these, so the notification would never show.
        JsonNode tag = object.has("tag") ? object.get("tag") : common.get("collapseKey");
        if (object.path("renotify").asBoolean(false) && (tag == null || tag.asText("").isEmpty())) {
            problems.add(path + ".renotify: needs a tag (or common.collapseKey): browsers refuse to show a renotify "
                    + "notification without one");
        }
        if (object.path("silent").asBoolean(false) && vibrate != null && !vibrate.isEmpty()) {
            problems.add(path + ".vibrate: cannot be combined with silent: true: browsers refuse to show such a "
                    + "notification");
        }
    }

    private static void actions(String path, JsonNode actions, List<String> problems) {
        if (actions == null) {
            return;
        }
        if (!actions.isArray() || actions.size() > MAX_ACTIONS) {
            problems.add(path + ".actions: must be an array of at most " + MAX_ACTIONS + " actions");
            return;
        }
        for (int i = 0; i < actions.size(); i++) {
            String at = path + ".actions[" + i + "]";
            JsonNode action = actions.get(i);
            if (!action.isObject()) {
                problems.add(at + ": must be an object");
                continue;
            }
            JsonNode id = action.get("action");
            if (id == null || !id.isTextual() || id.asText().isBlank()) {
                problems.add(at + ".action: is required: the id a click on it reports back");
            } else if (id.asText().length() > Event.MAX_ACTION_LENGTH) {
                problems.add(at + ".action: at most " + Event.MAX_ACTION_LENGTH + " characters");
            }
            JsonNode title = action.get("title");
            if (title == null || !title.isTextual() || title.asText().isBlank()) {
                problems.add(at + ".title: is required: browsers refuse to show an action without one");
            }
            if (action.has("icon")) {
                string(at + ".icon", action.get("icon"), problems);
            }
        }
    }

    private static void apns(String path, ObjectNode object, boolean ios, List<String> problems) {
        reservedIds(path, object, problems);
        if (ios && object.has("actions")) {
            problems.add(path + ".actions: is the CORE iOS SDK's own key (it stops the app when the key does not "
                    + "decode); use a data context for actions");
        }
        if (object.has("aps") && !object.get("aps").isObject()) {
            problems.add(path + ".aps: must be an object");
        }
    }

    private static void android(String path, ObjectNode object, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = path + "." + field.getKey();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "collapseKey", "restrictedPackageName" -> string(at, value, problems);
                case "priority" -> {
                    if (!(value.isTextual() && Set.of("high", "normal").contains(value.asText()))) {
                        problems.add(at + ": must be high or normal");
                    }
                }
                case "directBootOk" -> {
                    if (!value.isBoolean()) {
                        problems.add(at + ": must be true or false");
                    }
                }
                case "data" -> {
                    if (!value.isObject() || !allStrings(value)) {
                        problems.add(at + ": must be an object of strings (FCM data)");
                    } else {
                        reservedIds(at, value, problems);
                    }
                }
                case "notification" -> androidNotification(at, value, problems);
                case "ttl", "expiresAt" -> {
                    // reported for every platform above
                }
                default -> problems.add(at + ": not supported (pushcore sends " + ANDROID_FIELDS + ")");
            }
        }
    }

    private static void androidNotification(String path, JsonNode notification, List<String> problems) {
        if (!notification.isObject()) {
            problems.add(path + ": must be an object");
            return;
        }
        Set<String> known = Set.of(ANDROID_NOTIFICATION_FIELDS.split(", "));
        for (Iterator<Map.Entry<String, JsonNode>> it = notification.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = path + "." + field.getKey();
            if (!known.contains(field.getKey())) {
                problems.add(at + ": not supported (pushcore sends " + ANDROID_NOTIFICATION_FIELDS + ")");
            } else if (string(at, field.getValue(), problems) && field.getKey().equals("color")
                    && !COLOR.matcher(field.getValue().asText()).matches()) {
                problems.add(at + ": must be #rrggbb");
            }
        }
    }

    private static void huawei(String path, ObjectNode object, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = path + "." + field.getKey();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "notification" -> {
                    if (!value.isObject()) {
                        problems.add(at + ": must be an object (Push Kit's android.notification)");
                    }
                }
                case "biTag", "receiptId", "data" -> string(at, value, problems);
                case "collapseKey" -> {
                    if (!value.isIntegralNumber() || value.asInt() < -1 || value.asInt() > 100) {
                        problems.add(at + ": must be -1, 0 or a group from 1 to 100");
                    }
                }
                case "fastAppTarget" -> {
                    if (!value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > 2) {
                        problems.add(at + ": must be 1 (development) or 2 (production)");
                    }
                }
                case "ttl", "expiresAt" -> {
                    // reported for every platform above
                }
                default -> problems.add(at + ": not supported (pushcore sends " + HUAWEI_FIELDS + ")");
            }
        }
    }

    /** CORE's {@code common.data}: an object of strings, or a string. */
    private static void stringData(String path, JsonNode data, List<String> problems) {
        if (data.isTextual()) {
            return;
        }
        if (!data.isObject() || !allStrings(data)) {
            problems.add(path + ": must be an object of strings or a string");
            return;
        }
        reservedIds(path, data, problems);
    }

    private static void reservedIds(String path, JsonNode object, List<String> problems) {
        for (String id : IDS) {
            if (object.has(id)) {
                problems.add(path + "." + id + ": is set by pushcore (the SDKs report events with it)");
            }
        }
    }

    private static boolean string(String path, JsonNode value, List<String> problems) {
        if (!value.isTextual()) {
            problems.add(path + ": must be a string");
            return false;
        }
        return true;
    }

    private static boolean allStrings(JsonNode object) {
        for (JsonNode value : object) {
            if (!value.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
