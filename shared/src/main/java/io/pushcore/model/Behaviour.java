package io.pushcore.model;

/**
 * Where a click leads (a URL or a deep link), with per-platform overrides that fall back to {@link #fallback()}.
 */
public record Behaviour(String fallback, String webPush, String android, String huawei, String ios) {

    public static final Behaviour NONE = new Behaviour(null, null, null, null, null);

    public String forWebPush() {
        return webPush != null ? webPush : fallback;
    }

    public String forAndroid() {
        return android != null ? android : fallback;
    }

    public String forHuawei() {
        return huawei != null ? huawei : fallback;
    }

    public String forIos() {
        return ios != null ? ios : fallback;
    }
}
