package io.pushcore.provider.hms;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The app-level access token of one {@code hms} credential (OAuth 2.0 client credentials at {@code authUrl}),
 * cached until shortly before it expires. One request for a token runs at a time: callers that waited while it
 * ran take its result, so a thousand concurrent sends cause one token request, not a thousand (Huawei also limits
 * an app to 1000 token requests per 5 minutes).
 */
final class HmsAccessTokens {

    /** What asking for the access token gave. */
    sealed interface Grant {

        record Issued(String accessToken) implements Grant {

            @Override
            public String toString() {
                return "Issued[…]";
            }
        }

        /** The OAuth endpoint refused the app id and secret. */
        record Refused(String reason) implements Grant {
        }

        /** No token for now (5xx, 429, timeout). */
        record Unavailable(String reason, Duration retryAfter) implements Grant {
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,4096}");
    private static final Duration MAX_MARGIN = Duration.ofMinutes(5);

    private record Cached(String accessToken, Instant refreshAt) {
    }

    private record Attempt(Grant grant, long atNanos) {
    }

    private final HmsCredentials credentials;
    private final HmsHttp http;
    private final Clock clock;
    private final ReentrantLock requesting = new ReentrantLock();
    private final AtomicReference<Cached> cached = new AtomicReference<>();
    private volatile Attempt last;

    HmsAccessTokens(HmsCredentials credentials, HmsHttp http, Clock clock) {
        this.credentials = credentials;
        this.http = http;
        this.clock = clock;
    }

    /** A valid access token, or why there is none; waits at most one request timeout for another caller's request. */
    Grant current() {
        Cached now = cached.get();
        if (now != null && clock.instant().isBefore(now.refreshAt())) {
            return new Grant.Issued(now.accessToken());
        }
        long asked = System.nanoTime();
        try {
            if (!requesting.tryLock(http.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                return new Grant.Unavailable("waited too long for the Huawei access token", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Grant.Unavailable("interrupted while waiting for the Huawei access token", null);
        }
        try {
            now = cached.get();
            if (now != null && clock.instant().isBefore(now.refreshAt())) {
                return new Grant.Issued(now.accessToken());
            }
            Attempt previous = last;
            if (previous != null && previous.atNanos() - asked >= 0) {
                // Another caller asked while this one waited: its answer is as fresh as a new one.
                return previous.grant();
            }
            Grant grant = request();
            last = new Attempt(grant, System.nanoTime());
            return grant;
        } finally {
            requesting.unlock();
        }
    }

    /** Push Kit refused {@code accessToken}: it is not used again. */
    void refused(String accessToken) {
        Cached now = cached.get();
        if (now != null && now.accessToken().equals(accessToken)) {
            cached.compareAndSet(now, null);
        }
    }

    private Grant request() {
        String form = "grant_type=client_credentials&client_id=" + encode(credentials.appId()) + "&client_secret="
                + encode(credentials.appSecret());
        Instant issued = clock.instant();
        return switch (http.post(credentials.authUrl(), "application/x-www-form-urlencoded", null,
                form.getBytes(StandardCharsets.UTF_8))) {
            case HmsHttp.Exchange.Failed failed -> new Grant.Unavailable("Huawei OAuth: " + failed.reason(), null);
            case HmsHttp.Exchange.Answered answer -> read(answer, issued);
        };
    }

    private Grant read(HmsHttp.Exchange.Answered answer, Instant issued) {
        JsonNode root = tree(answer.body());
        int status = answer.status();
        if (status == 408 || status == 429 || status >= 500) {
            return new Grant.Unavailable(describe(status, root), HmsResults.retryAfter(answer.retryAfter()));
        }
        if (status != 200) {
            return new Grant.Refused(describe(status, root));
        }
        String token = root.path("access_token").asText("");
        long lifetime = root.path("expires_in").asLong(0);
        if (!TOKEN.matcher(token).matches() || lifetime <= 0) {
            return new Grant.Unavailable("Huawei OAuth 200: no usable access_token and expires_in", null);
        }
        Duration life = Duration.ofSeconds(lifetime);
        Duration margin = life.dividedBy(2).compareTo(MAX_MARGIN) < 0 ? life.dividedBy(2) : MAX_MARGIN;
        cached.set(new Cached(token, issued.plus(life).minus(margin)));
        return new Grant.Issued(token);
    }

    private static String describe(int status, JsonNode root) {
        String text = root.path("error_description").asText(root.path("error").asText(""));
        return HmsResults.describe(status, "", text).replaceFirst("^Push Kit", "Huawei OAuth");
    }

    private static JsonNode tree(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : JSON.readTree(body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
