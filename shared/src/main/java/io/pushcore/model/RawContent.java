package io.pushcore.model;

import java.net.URI;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A CORE raw context ({@code CreateBucketRawContextDto}, beta in CORE): {@code common} plus one optional object per
 * platform, each in that platform's own vocabulary. Which object a receiver gets:
 * <ul>
 * <li>web push: by the push service's host ({@link #webPlatform(URI)}): {@code chromium}, {@code edge},
 * {@code firefox} or {@code safariVapid}; any other push service gets {@code common} alone;</li>
 * <li>APNs: {@code ios} for an app, {@code safari} for legacy Safari website push; FCM: {@code android}; Push Kit:
 * {@code huawei}.</li>
 * </ul>
 * Each provider's payload builder maps {@code common} into its native shape and lays the platform object over it:
 * <b>the platform object's top-level keys replace common's</b> (a key it does not set keeps common's value; nested
 * objects are not merged). Then pushcore adds the ids the SDKs report events with, where data contexts carry them.
 *
 * <p>
 * {@code common.ttl} and {@code common.expiresAt} are the context's lifetime, as for data contexts; they are not
 * part of any payload. The objects are checked by {@link RawRules} when the context is created and never change
 * afterwards: readers must not modify them (payload builders copy what they change).
 */
public record RawContent(ObjectNode common, ObjectNode chromium, ObjectNode edge, ObjectNode firefox,
        ObjectNode safariVapid, ObjectNode safari, ObjectNode ios, ObjectNode android, ObjectNode huawei)
        implements Content {

    /** The platform objects of CORE's DTO, by their wire names. */
    public enum Platform {
        CHROMIUM("chromium"), EDGE("edge"), FIREFOX("firefox"), SAFARI_VAPID("safariVapid"), SAFARI("safari"),
        IOS("ios"), ANDROID("android"), HUAWEI("huawei");

        private final String field;

        Platform(String field) {
            this.field = field;
        }

        /** The object's name in CORE's DTO, as errors name it. */
        public String field() {
            return field;
        }

        public boolean isWebPush() {
            return this == CHROMIUM || this == EDGE || this == FIREFOX || this == SAFARI_VAPID;
        }
    }

    public RawContent {
        common = common == null ? JsonNodeFactory.instance.objectNode() : common;
    }

    /** The platform's object, or null when the context has none. */
    public ObjectNode object(Platform platform) {
        return switch (platform) {
            case CHROMIUM -> chromium;
            case EDGE -> edge;
            case FIREFOX -> firefox;
            case SAFARI_VAPID -> safariVapid;
            case SAFARI -> safari;
            case IOS -> ios;
            case ANDROID -> android;
            case HUAWEI -> huawei;
        };
    }

    /**
     * The web push platform of a subscription, from its endpoint's host: {@code fcm.googleapis.com} is Chrome (and
     * the other Chromium browsers that use FCM), {@code *.notify.windows.com} Edge (WNS),
     * {@code updates.push.services.mozilla.com} and {@code *.push.services.mozilla.com} Firefox (autopush),
     * {@code web.push.apple.com} Safari; null (use {@code common}) for any other push service.
     */
    public static Platform webPlatform(URI endpoint) {
        String host = endpoint.getHost();
        if (host == null) {
            return null;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.equals("fcm.googleapis.com")) {
            return Platform.CHROMIUM;
        }
        if (host.endsWith(".notify.windows.com")) {
            return Platform.EDGE;
        }
        if (host.equals("push.services.mozilla.com") || host.endsWith(".push.services.mozilla.com")) {
            return Platform.FIREFOX;
        }
        if (host.equals("web.push.apple.com")) {
            return Platform.SAFARI_VAPID;
        }
        return null;
    }

    /** Raw contexts carry {@code data} objects instead; none of CORE's {@code externalData}. */
    @Override
    public String externalData() {
        return null;
    }
}
