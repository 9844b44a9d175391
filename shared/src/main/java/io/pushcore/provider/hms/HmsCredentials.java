package io.pushcore.provider.hms;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A bucket's {@code hms} credential as CORE's JS SDK types it: the AppGallery Connect app id and secret (the OAuth
 * 2.0 client id and secret), and optionally the Push Kit and OAuth URLs. Failures are
 * {@link IllegalArgumentException}s whose message starts with the field ({@code "appId: is required"}); neither
 * messages nor {@link #toString()} show the secret.
 *
 * <p>
 * The provider posts the secret to {@code authUrl} and the access token to {@code pushUrl}, so in production both
 * must be https URLs on Huawei's hosts ({@link #isHuaweiUrl}); tests and local runs widen that with a policy.
 */
public record HmsCredentials(String appId, String appSecret, URI pushUrl, URI authUrl) {

    /** The {@code providerCredentials[].type} of this credential. */
    public static final String TYPE = "hms";

    /** Push Kit's server API v1; messages go to {@code <pushUrl>/<appId>/messages:send}. */
    public static final URI DEFAULT_PUSH_URL = URI.create("https://push-api.cloud.huawei.com/v1");

    /** Huawei's OAuth 2.0 token endpoint for app-level (client-credentials) access tokens. */
    public static final URI DEFAULT_AUTH_URL = URI.create("https://oauth-login.cloud.huawei.com/oauth2/v3/token");

    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_SECRET = 512;
    private static final int MAX_URL = 2048;

    public HmsCredentials {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(appSecret, "appSecret");
        Objects.requireNonNull(pushUrl, "pushUrl");
        Objects.requireNonNull(authUrl, "authUrl");
    }

    /** Accepts only https URLs on {@code huawei.com}, {@code hicloud.com} or their subdomains. */
    public static boolean isHuaweiUrl(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        return "https".equalsIgnoreCase(url.getScheme()) && (host.equals("huawei.com") || host.endsWith(".huawei.com")
                || host.equals("hicloud.com") || host.endsWith(".hicloud.com"));
    }

    /**
     * Parses the payload fields; {@code pushUrl} and {@code authUrl} default to Huawei's and must pass
     * {@code urlAllowed} when given.
     */
    public static HmsCredentials parse(Map<String, ?> payload, Predicate<URI> urlAllowed) {
        Objects.requireNonNull(urlAllowed, "urlAllowed");
        // App ids are numbers in AppGallery Connect; a JSON number is taken as its digits.
        Object rawAppId = payload == null ? null : payload.get("appId");
        String appId = rawAppId instanceof Integer || rawAppId instanceof Long ? rawAppId.toString()
                : text(payload, "appId");
        if (appId == null) {
            throw new IllegalArgumentException("appId: is required (the app id from AppGallery Connect)");
        }
        if (!APP_ID.matcher(appId).matches()) {
            throw new IllegalArgumentException("appId: must be up to 64 letters, digits, '.', '_' or '-'");
        }
        String appSecret = text(payload, "appSecret");
        if (appSecret == null) {
            throw new IllegalArgumentException("appSecret: is required (the app secret from AppGallery Connect)");
        }
        if (appSecret.length() > MAX_SECRET || appSecret.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("appSecret: must be up to " + MAX_SECRET
                    + " characters without control characters");
        }
        return new HmsCredentials(appId, appSecret, url(payload, "pushUrl", DEFAULT_PUSH_URL, urlAllowed),
                url(payload, "authUrl", DEFAULT_AUTH_URL, urlAllowed));
    }

    /** Where this app's messages are posted. */
    public URI sendUrl() {
        String base = pushUrl.toString().replaceAll("/+$", "");
        return URI.create(base + "/" + appId + "/messages:send");
    }

    private static URI url(Map<String, ?> payload, String field, URI fallback, Predicate<URI> allowed) {
        String text = text(payload, field);
        if (text == null) {
            return fallback;
        }
        URI url;
        try {
            url = text.length() > MAX_URL ? null : new URI(text);
        } catch (java.net.URISyntaxException e) {
            url = null;
        }
        if (url == null || !url.isAbsolute() || url.getHost() == null || url.getRawUserInfo() != null
                || url.getRawQuery() != null || url.getRawFragment() != null
                || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))) {
            throw new IllegalArgumentException(field + ": must be an absolute http(s) URL without user, query or "
                    + "fragment");
        }
        if (!allowed.test(url)) {
            throw new IllegalArgumentException(field + ": must be an https URL on a Huawei host (huawei.com, "
                    + "hicloud.com); leave it out for " + fallback);
        }
        return url;
    }

    private static String text(Map<String, ?> payload, String field) {
        Object value = payload == null ? null : payload.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(field + ": must be a string");
        }
        return s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() {
        return "HmsCredentials[appId=" + appId + ", pushUrl=" + pushUrl + ", authUrl=" + authUrl + "]";
    }
}
