package io.pushcore.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pushcore.model.Push;
import io.pushcore.model.RawContent;
import io.pushcore.model.RawContent.Platform;
import io.pushcore.model.RawRules;
import io.pushcore.provider.apns.ApnsPayload;
import io.pushcore.provider.webpush.WebPushPayload;
import io.pushcore.testing.sdk.IosSdk;
import io.pushcore.testing.sdk.WebSdk;

/**
 * Raw contexts: which web push service gets which object, what {@link RawRules} refuses, and that the payloads keep
 * the ids where CORE's web and iOS SDKs read them (decoded as those SDKs decode them).
 */
class RawPayloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static RawContent raw(String common, String chromium, String ios) {
        return new RawContent(common == null ? null : object(common), chromium == null ? null : object(chromium),
                null, null, null, null, ios == null ? null : object(ios), null, null);
    }

    private static Push push(RawContent content) {
        return new Push(UUID.randomUUID(), UUID.randomUUID(), "user-1", content, Instant.EPOCH);
    }

    @Test
    void tellsPushServicesApartByTheEndpointsHostOnly() {
        assertThat(RawContent.webPlatform(URI.create("https://fcm.googleapis.com/fcm/send/abc")))
                .isEqualTo(Platform.CHROMIUM);
        assertThat(RawContent.webPlatform(URI.create("https://FCM.googleapis.com./wp/abc")))
                .isEqualTo(Platform.CHROMIUM);
        assertThat(RawContent.webPlatform(URI.create("https://wns2-by3p.notify.windows.com/w/?token=x")))
                .isEqualTo(Platform.EDGE);
        assertThat(RawContent.webPlatform(URI.create("https://updates.push.services.mozilla.com/wpush/v2/x")))
                .isEqualTo(Platform.FIREFOX);
        assertThat(RawContent.webPlatform(URI.create("https://web.push.apple.com/QG9")))
                .isEqualTo(Platform.SAFARI_VAPID);
        for (String other : List.of("https://fcm.googleapis.com.example.net/x", "https://evilfcm.googleapis.com/x",
                "https://notify.windows.com.example.net/x", "https://push.example.com/web.push.apple.com",
                "http://127.0.0.1:8080/push/1")) {
            assertThat(RawContent.webPlatform(URI.create(other))).as(other).isNull();
        }
    }

    @Test
    void keepsTheIdsWhereTheWebWorkerReadsThemForEveryPushService() {
        RawContent content = raw("{\"title\":\"c\",\"data\":\"opaque\"}",
                "{\"title\":\"chrome\",\"data\":{\"k\":\"v\"},\"defaultAction\":\"https://example.com\"}", null);
        Push push = push(content);
        WebSdk.Shown chrome = (WebSdk.Shown) WebSdk.decode(
                new String(WebPushPayload.json(push, Platform.CHROMIUM), StandardCharsets.UTF_8));
        assertThat(chrome.title()).isEqualTo("chrome");
        assertThat(chrome.messageId()).isEqualTo(push.messageId());
        assertThat(chrome.contextId()).isEqualTo(push.contextId());
        assertThat(chrome.foreignId()).isEqualTo("user-1");
        assertThat(chrome.actionsMap()).containsEntry("default", "https://example.com");
        WebSdk.Shown other = (WebSdk.Shown) WebSdk.decode(
                new String(WebPushPayload.json(push, (Platform) null), StandardCharsets.UTF_8));
        assertThat(other.title()).isEqualTo("c");
        assertThat(other.externalData()).isEqualTo("opaque");
        assertThat(other.messageId()).isEqualTo(push.messageId());
    }

    @Test
    void takesClickTargetsAndExternalDataAsCoresJsSdkTypesThem() {
        Push push = push(raw(null, "{\"title\":\"t\",\"behaviour\":\"https://example.com/b\","
                + "\"externalData\":\"x\",\"actions\":[{\"action\":\"a\",\"title\":\"A\","
                + "\"behaviourWebPush\":\"https://example.com/a\"},{\"action\":\"n\",\"title\":\"N\"}]}",
                null));
        WebSdk.Shown shown = (WebSdk.Shown) WebSdk.decode(
                new String(WebPushPayload.json(push, Platform.CHROMIUM), StandardCharsets.UTF_8));
        assertThat(shown.actionsMap()).containsExactly(java.util.Map.entry("default", "https://example.com/b"),
                java.util.Map.entry("a", "https://example.com/a"));
        assertThat(shown.externalData()).isEqualTo("x");
    }

    @Test
    void givesTheIosSdkADataNotificationItReportsEventsFor() {
        Push push = push(raw("{\"title\":\"t\",\"body\":\"b\"}", null, "{\"custom\":{\"deep\":true}}"));
        IosSdk.Notification decoded = IosSdk.decode(ApnsPayload.of(push, ApnsPayload.Target.IOS));
        assertThat(decoded).isInstanceOfSatisfying(IosSdk.DataNotification.class, n -> {
            assertThat(n.messageId()).isEqualTo(push.messageId());
            assertThat(n.contextId()).isEqualTo(push.contextId());
        });
        assertThat(ApnsPayload.isAlert(push, ApnsPayload.Target.IOS)).isTrue();
        Push background = push(raw(null, null, "{\"aps\":{\"content-available\":1}}"));
        assertThat(ApnsPayload.isAlert(background, ApnsPayload.Target.IOS)).isFalse();
    }

    @Test
    void acceptsEveryPlatformObjectInItsOwnVocabulary() {
        RawContent content = new RawContent(
                object("{\"title\":\"t\",\"body\":\"b\",\"collapseKey\":\"k\",\"data\":{\"a\":\"b\"},\"ttl\":60}"),
                object("{\"title\":\"c\",\"actions\":[{\"action\":\"a\",\"title\":\"A\"}],\"vibrate\":[100,50]}"),
                object("{\"renotify\":true}"), object("{\"dir\":\"rtl\",\"timestamp\":1}"),
                object("{\"data\":{\"actionsMap\":{\"default\":\"https://example.com\"}}}"),
                object("{\"aps\":{\"alert\":{\"title\":\"s\"}}}"), object("{\"aps\":{\"content-available\":1}}"),
                object("{\"priority\":\"normal\",\"notification\":{\"color\":\"#aabbcc\"},\"data\":{\"x\":\"y\"}}"),
                object("{\"collapseKey\":-1,\"fastAppTarget\":2,\"notification\":{\"title\":\"h\"}}"));
        assertThat(RawRules.problems(content)).isEmpty();
    }

    @Test
    void refusesOversizedDeepAndIdCarryingObjects() {
        String deep = "{\"a\":".repeat(9) + "1" + "}".repeat(9);
        assertThat(RawRules.problems(raw(null, deep, null)))
                .containsExactly("chromium: nests deeper than " + RawRules.MAX_DEPTH + " levels");
        String big = "{\"body\":\"" + "x".repeat(4000) + "\"}";
        RawContent total = new RawContent(object(big), object(big), object(big), object(big), object(big), null,
                null, null, null);
        assertThat(RawRules.problems(total)).singleElement().asString()
                .startsWith("context: the raw objects are ").endsWith("at most " + RawRules.MAX_TOTAL_BYTES);
        assertThat(RawRules.problems(raw(null, "{\"data\":{\"foreignId\":\"x\",\"messageId\":\"y\"}}",
                "{\"messageId\":\"m\"}"))).containsExactlyInAnyOrder(
                        "chromium.data.foreignId: is set by pushcore (the SDKs report events with it)",
                        "chromium.data.messageId: is set by pushcore (the SDKs report events with it)",
                        "ios.messageId: is set by pushcore (the SDKs report events with it)");
    }
}
