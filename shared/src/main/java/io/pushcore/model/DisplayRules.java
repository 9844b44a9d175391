package io.pushcore.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What every CORE SDK can display, checked when a context is created so that no accepted context can crash a
 * client or stop its notification from showing:
 * <ul>
 * <li>every action has a {@code title}: the iOS SDK decodes {@code actions[].title} as non-optional (a failure is a
 * {@code fatalError} in the notification service extension), the Android SDK declares it non-null, and browsers
 * throw a {@code TypeError} from {@code showNotification} for an action without one;</li>
 * <li>{@code renotify: true} needs a non-empty {@code tag} and {@code silent: true} cannot have {@code vibrate}:
 * browsers throw a {@code TypeError} from {@code showNotification} otherwise (Notifications API, "create a
 * notification").</li>
 * </ul>
 * What an SDK needs but a customer may leave out is filled in by the payload builders instead: an action's URL
 * falls back to the context's behaviour for that platform ({@link DataContent#actionUrl}), and the mobile payloads
 * write {@code ""} where neither has one.
 */
public final class DisplayRules {

    private DisplayRules() {
    }

    /** The rules {@code content} breaks, as {@code field: reason} with paths relative to the context. */
    public static List<String> problems(DataContent content) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < content.actions().size(); i++) {
            String title = content.actions().get(i).title();
            if (title == null || title.isBlank()) {
                problems.add("actions[" + i + "].title: is required: every platform shows it as the button's label");
            }
        }
        DataContent.WebOptions web = content.web();
        if (Boolean.TRUE.equals(web.renotify()) && (web.tag() == null || web.tag().isEmpty())) {
            problems.add("renotify: needs a tag: browsers refuse to show a renotify notification without one");
        }
        if (Boolean.TRUE.equals(web.silent()) && !web.vibrate().isEmpty()) {
            problems.add("vibrate: cannot be combined with silent: true: browsers refuse to show such a notification");
        }
        return problems;
    }
}
