package io.pushcore.model;

import java.util.List;

/**
 * A visible notification, with the fields of a CORE data context ({@code CreateBucketDataContextDto}). Image
 * fields hold the URLs devices will load; every field but the lists may be null.
 */
public record DataContent(
        String title,
        String body,
        String subtitle,
        String icon,
        String smallIcon,
        String image,
        Integer badge,
        Integer badgeMobile,
        String channelName,
        Behaviour behaviour,
        List<Action> actions,
        String externalData,
        WebOptions web,
        Sounds sounds) implements Content {

    public DataContent {
        behaviour = behaviour == null ? Behaviour.NONE : behaviour;
        actions = actions == null ? List.of() : List.copyOf(actions);
        web = web == null ? WebOptions.NONE : web;
        sounds = sounds == null ? Sounds.NONE : sounds;
    }

    /**
     * The app-icon badge on Android, Huawei and iOS: {@code badgeMobile}, else {@code badge} (CORE documents
     * {@code badge} for the mobile platforms too; on the web it is the {@code setAppBadge} count); may be null.
     */
    public Integer mobileBadge() {
        return badgeMobile != null ? badgeMobile : badge;
    }

    /** Where a click on the notification's body leads on {@code platform}; may be null. */
    public String clickUrl(Behaviour.Platform platform) {
        return behaviour.on(platform);
    }

    /**
     * Where a click on {@code action} leads on {@code platform}: the action's own behaviour, else the context's
     * (the mobile SDKs need a URL for every button); may be null when neither has one.
     */
    public String actionUrl(Action action, Behaviour.Platform platform) {
        String own = action.behaviour().on(platform);
        return own != null ? own : clickUrl(platform);
    }

    /** Web Notification options that only browsers use ({@code NotificationOptions}). */
    public record WebOptions(String lang, String tag, Boolean renotify, Boolean requireInteraction, Boolean silent,
            List<Integer> vibrate) {

        public static final WebOptions NONE = new WebOptions(null, null, null, null, null, List.of());

        public WebOptions {
            vibrate = vibrate == null ? List.of() : List.copyOf(vibrate);
        }
    }

    /** Sound names for the mobile platforms. */
    public record Sounds(String fallback, String ios, String android) {

        public static final Sounds NONE = new Sounds(null, null, null);
    }
}
