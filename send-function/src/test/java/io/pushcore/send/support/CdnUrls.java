package io.pushcore.send.support;

import io.pushcore.send.storage.TenantKey;

/**
 * Image URLs already on the test CDN ({@code send.images.cdn-base-url} of the test profile) under the development
 * tenant's key: the image pipeline keeps them as they are for that tenant, so payload tests can name images without
 * an image origin.
 */
public final class CdnUrls {

    private static final String BASE = "https://cdn.pushcore.test/images/" + TenantKey.of("dev") + "/";

    public static final String ICON = BASE + "1".repeat(64) + "-icon.png";
    public static final String IMAGE = BASE + "2".repeat(64) + "-image.jpg";
    public static final String SMALL_ICON = BASE + "3".repeat(64) + "-small-icon.png";
    public static final String ACTION_ICON = BASE + "4".repeat(64) + "-icon.png";

    private CdnUrls() {
    }
}
