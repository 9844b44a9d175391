package io.pushcore.model;

/**
 * Where a click leads (a URL or a deep link), with per-platform overrides that fall back to {@link #fallback()}.
 */
public record Behaviour(String fallback, String webPush, String android, String huawei, String ios) {

    public static final Behaviour NONE = new Behaviour(null, null, null, null, null);

    /** The platforms with their own behaviour override ({@code behaviourWebPush}, {@code behaviourAndroid}, …). */
    public enum Platform {
        WEB_PUSH, ANDROID, HUAWEI, IOS
    }

    /** The click target on {@code platform}: its override, else {@link #fallback()}; may be null. */
    public String on(Platform platform) {
        String override = switch (platform) {
            case WEB_PUSH -> webPush;
            case ANDROID -> android;
            case HUAWEI -> huawei;
            case IOS -> ios;
        };
        return override != null ? override : fallback;
    }
}
