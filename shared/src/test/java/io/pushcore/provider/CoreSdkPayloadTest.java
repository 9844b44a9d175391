package io.pushcore.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.pushcore.model.Action;
import io.pushcore.model.Behaviour;
import io.pushcore.model.Behaviour.Platform;
import io.pushcore.model.DataContent;
import io.pushcore.model.DisplayRules;
import io.pushcore.model.Push;
import io.pushcore.model.SilentContent;
import io.pushcore.provider.apns.ApnsPayload;
import io.pushcore.provider.fcm.FcmPayload;
import io.pushcore.provider.hms.HmsPayload;
import io.pushcore.provider.webpush.WebPushPayload;
import io.pushcore.testing.sdk.AndroidSdk;
import io.pushcore.testing.sdk.IosSdk;
import io.pushcore.testing.sdk.SdkDecodeException;
import io.pushcore.testing.sdk.WebSdk;

/**
 * Every context the display rules accept gives payloads each CORE SDK decodes (web push, FCM, Push Kit, APNs), with
 * the ids, badges and click targets pushcore means: a table of hand-picked contexts, then thousands of generated
 * ones (seeded, so a failure repeats).
 */
class CoreSdkPayloadTest {

    private static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void decodesHandPickedContextsOnEveryPlatform() {
        Behaviour everywhere = new Behaviour("https://example.com", "https://web.example.com", "app://android",
                "app://huawei", "app://ios");
        List<DataContent> contexts = List.of(
                content("Hi", null, null, null, null, Behaviour.NONE, List.of()),
                content("Hi", "https://cdn.example/i.png", "https://cdn.example/big.png", 3, null, everywhere,
                        List.of(new Action("open", "Open", "https://cdn.example/a.png", null),
                                new Action("later", "Later", null, new Behaviour("https://example.com/later", null,
                                        null, "app://huawei/later", null)))),
                content(null, null, null, null, 9, Behaviour.NONE,
                        List.of(new Action("noop", "Nothing to open", null, null))),
                content("Badges", null, null, 2, 5, new Behaviour(null, null, null, null, "app://ios"), List.of()));
        for (DataContent c : contexts) {
            assertThat(DisplayRules.problems(c)).isEmpty();
            decodesOnEveryPlatform(push(c, "user-42"));
            decodesOnEveryPlatform(push(c, null));
        }
    }

    @Test
    void fillsInWhatTheMobileSdksRequireWhenNoUrlExists() {
        DataContent noUrl = content("t", null, null, null, null, Behaviour.NONE,
                List.of(new Action("a", "A", null, null)));
        Push push = push(noUrl, null);

        assertThat(android(FcmPayload.of(push)).actions().getFirst().actionUrl()).isEmpty();
        assertThat(((IosSdk.DataNotification) IosSdk.decode(ApnsPayload.of(push))).actions().getFirst().url())
                .isEmpty();
        assertThat(((WebSdk.Shown) web(push)).actionsMap()).isEmpty();
    }

    @Test
    void usesTheMobileBadgeElseTheBadge() {
        Push badgeOnly = push(content("t", null, null, 4, null, Behaviour.NONE, List.of()), null);
        Push both = push(content("t", null, null, 4, 6, Behaviour.NONE, List.of()), null);

        assertThat(android(FcmPayload.of(badgeOnly)).badge()).isEqualTo(4);
        assertThat(((AndroidSdk.RemotePpgMessage) AndroidSdk.fromHms(HmsPayload.data(badgeOnly))).badge()).isEqualTo(4);
        assertThat(((IosSdk.DataNotification) IosSdk.decode(ApnsPayload.of(badgeOnly))).badge()).isEqualTo(4);
        assertThat(android(FcmPayload.of(both)).badge()).isEqualTo(6);
        assertThat(((IosSdk.DataNotification) IosSdk.decode(ApnsPayload.of(both))).badge()).isEqualTo(6);
        assertThat(((WebSdk.Shown) web(both)).badge()).isEqualTo(4.0);
    }

    @Test
    void labelsActionsOfContextsStoredBeforeTitlesWereRequired() {
        Push old = push(content("t", null, null, null, null, Behaviour.NONE,
                List.of(new Action("legacy", null, null, null))), null);

        assertThat(((WebSdk.Shown) web(old)).actions().getFirst().title()).isEqualTo("legacy");
        assertThat(android(FcmPayload.of(old)).actions().getFirst().title()).isEqualTo("legacy");
        assertThat(((IosSdk.DataNotification) IosSdk.decode(ApnsPayload.of(old))).actions().getFirst().title())
                .isEqualTo("legacy");
    }

    @Test
    void decodesSilentMessagesOnEveryPlatform() {
        for (String externalData : new String[] { null, "", "{\"sync\":true}" }) {
            Push push = new Push(UUID.randomUUID(), UUID.randomUUID(), "user-1", new SilentContent(externalData),
                    EXPIRES);
            WebSdk.Silent web = (WebSdk.Silent) web(push);
            AndroidSdk.SilentPpgMessage fcm = (AndroidSdk.SilentPpgMessage) AndroidSdk.fromFcm(FcmPayload.of(push));
            AndroidSdk.SilentPpgMessage hms = (AndroidSdk.SilentPpgMessage) AndroidSdk.fromHms(HmsPayload.data(push));
            IosSdk.SilentNotification ios = (IosSdk.SilentNotification) IosSdk.decode(ApnsPayload.of(push));

            for (UUID id : List.of(web.messageId(), fcm.messageId(), hms.messageId(), ios.messageId())) {
                assertThat(id).isEqualTo(push.messageId());
            }
            assertThat(List.of(web.contextId(), fcm.contextId(), hms.contextId(), ios.contextId()))
                    .containsOnly(push.contextId());
            assertThat(fcm.externalData()).isEqualTo(externalData);
            assertThat(hms.externalData()).isEqualTo(externalData);
            assertThat(ios.externalData()).isEqualTo(externalData == null ? "" : externalData);
        }
    }

    @Test
    void decodesThousandsOfGeneratedAcceptedContexts() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            DataContent c = generate(random);
            if (!DisplayRules.problems(c).isEmpty()) {
                continue;
            }
            accepted++;
            Push push = push(c, random.nextBoolean() ? null : "foreign-" + i);
            try {
                decodesOnEveryPlatform(push);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ", context " + i + ": " + c, e);
            }
        }
        assertThat(accepted).as("seed %d", seed).isGreaterThan(500);
    }

    @Test
    void theWebRulesAreExactlyWhatBrowsersRefuse() {
        for (DataContent.WebOptions web : List.of(
                new DataContent.WebOptions(null, null, true, null, null, List.of()),
                new DataContent.WebOptions(null, "", true, null, null, List.of()),
                new DataContent.WebOptions(null, "t", null, null, true, List.of(10)))) {
            DataContent c = new DataContent("t", null, null, null, null, null, null, null, null, null, List.of(),
                    null, web, null);
            assertThat(DisplayRules.problems(c)).hasSize(1);
            assertThatThrownBy(() -> web(push(c, null))).isInstanceOf(SdkDecodeException.class);
        }
    }

    @Test
    void theDecodersRefuseWhatCrashesTheSdks() {
        String ids = "\"messageId\":\"" + UUID.randomUUID() + "\",\"contextId\":\"" + UUID.randomUUID() + "\"";
        assertThatThrownBy(() -> AndroidSdk.fromFcm(java.util.Map.of("_ppg", "{" + ids + ",\"channelName\":\"d\","
                + "\"actions\":[{\"action\":\"a\",\"title\":\"A\"}]}")))
                .hasMessageContaining("actionUrl");
        assertThatThrownBy(() -> AndroidSdk.fromFcm(java.util.Map.of("_ppg", "{" + ids + ",\"actions\":[]}")))
                .hasMessageContaining("channelName");
        assertThatThrownBy(() -> AndroidSdk.fromHms("{\"_ppg\":{" + ids + "}}")).hasMessageContaining("asString");
        assertThatThrownBy(() -> IosSdk.decode("{\"aps\":{\"mutable-content\":1}," + ids
                + ",\"actions\":\"[{\\\"action\\\":\\\"a\\\",\\\"url\\\":\\\"\\\"}]\"}"))
                .hasMessageContaining("actions[0].title");
        assertThatThrownBy(() -> IosSdk.decode("{\"aps\":{\"mutable-content\":1},\"messageId\":\"x\"}"))
                .hasMessageContaining("contextId");
        assertThatThrownBy(() -> WebSdk.decode("{\"title\":\"t\",\"actions\":[{\"action\":\"a\"}],\"data\":{" + ids
                + ",\"actionsMap\":{}}}")).hasMessageContaining("title are required");
    }

    private static void decodesOnEveryPlatform(Push push) {
        DataContent c = (DataContent) push.content();

        WebSdk.Shown web = (WebSdk.Shown) web(push);
        assertThat(web.messageId()).isEqualTo(push.messageId());
        assertThat(web.contextId()).isEqualTo(push.contextId());
        assertThat(web.foreignId()).isEqualTo(push.foreignId());
        assertThat(web.actions()).extracting(WebSdk.Action::action).containsExactlyElementsOf(
                c.actions().stream().map(Action::action).toList());
        assertThat(web.actionsMap().get("default")).isEqualTo(c.clickUrl(Platform.WEB_PUSH));
        for (Action a : c.actions()) {
            assertThat(web.actionsMap().get(a.action())).isEqualTo(c.actionUrl(a, Platform.WEB_PUSH));
        }
        assertThat(web.badge()).isEqualTo(c.badge() == null ? null : c.badge().doubleValue());

        checkAndroid(android(FcmPayload.of(push)), push, Platform.ANDROID);
        checkAndroid((AndroidSdk.RemotePpgMessage) AndroidSdk.fromHms(HmsPayload.data(push)), push, Platform.HUAWEI);

        IosSdk.DataNotification ios = (IosSdk.DataNotification) IosSdk.decode(ApnsPayload.of(push));
        assertThat(ios.messageId()).isEqualTo(push.messageId());
        assertThat(ios.contextId()).isEqualTo(push.contextId());
        assertThat(ios.foreignId()).isEqualTo(push.foreignId());
        assertThat(ios.badge()).isEqualTo(c.mobileBadge());
        assertThat(ios.url()).isEqualTo(c.clickUrl(Platform.IOS));
        assertThat(ios.actions()).hasSameSizeAs(c.actions());
        for (int i = 0; i < c.actions().size(); i++) {
            Action a = c.actions().get(i);
            assertThat(ios.actions().get(i).action()).isEqualTo(a.action());
            assertThat(ios.actions().get(i).title()).isEqualTo(a.title());
            assertThat(ios.actions().get(i).url()).isEqualTo(orEmpty(c.actionUrl(a, Platform.IOS)));
        }
    }

    private static void checkAndroid(AndroidSdk.RemotePpgMessage m, Push push, Platform platform) {
        DataContent c = (DataContent) push.content();
        assertThat(m.messageId()).isEqualTo(push.messageId());
        assertThat(m.contextId()).isEqualTo(push.contextId());
        assertThat(m.foreignId()).isEqualTo(push.foreignId());
        assertThat(m.title()).isEqualTo(c.title());
        assertThat(m.image()).isEqualTo(c.image());
        assertThat(m.badge()).isEqualTo(c.mobileBadge());
        assertThat(m.defaultAction()).isEqualTo(c.clickUrl(platform));
        assertThat(m.channelName()).isEqualTo(c.channelName() == null ? "default" : c.channelName());
        assertThat(m.actions()).hasSameSizeAs(c.actions());
        for (int i = 0; i < c.actions().size(); i++) {
            Action a = c.actions().get(i);
            assertThat(m.actions().get(i).title()).isEqualTo(a.title());
            assertThat(m.actions().get(i).actionUrl()).isEqualTo(orEmpty(c.actionUrl(a, platform)));
        }
    }

    private static AndroidSdk.RemotePpgMessage android(java.util.Map<String, String> data) {
        return (AndroidSdk.RemotePpgMessage) AndroidSdk.fromFcm(data);
    }

    private static WebSdk.Push web(Push push) {
        return WebSdk.decode(new String(WebPushPayload.json(push), StandardCharsets.UTF_8));
    }

    private static Push push(io.pushcore.model.Content content, String foreignId) {
        return new Push(UUID.randomUUID(), UUID.randomUUID(), foreignId, content, EXPIRES);
    }

    private static DataContent content(String title, String icon, String image, Integer badge, Integer badgeMobile,
            Behaviour behaviour, List<Action> actions) {
        return new DataContent(title, "body", null, icon, null, image, badge, badgeMobile, null, behaviour, actions,
                null, null, null);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    // Values a CORE user might send, edge cases included: nulls, empty strings, deep links, non-ASCII text.
    private static DataContent generate(Random r) {
        List<Action> actions = new ArrayList<>();
        int count = r.nextInt(5);
        for (int i = 0; i < count; i++) {
            actions.add(new Action("action_" + i, pick(r, null, "", " ", "Open", "Zażółć 🚀"),
                    pick(r, null, "https://cdn.example/a" + i + ".png"), behaviour(r)));
        }
        return new DataContent(pick(r, null, "", "Hello", "Ünïcödé \"quoted\" \\ title"), pick(r, null, "Body", ""),
                pick(r, null, "Sub"), pick(r, null, "https://cdn.example/icon.png"),
                pick(r, null, "https://cdn.example/small.png"), pick(r, null, "https://cdn.example/image.jpg"),
                pick(r, null, 0, 1, 99, Integer.MAX_VALUE), pick(r, null, 0, 5, Integer.MAX_VALUE),
                pick(r, null, "default", "news", ""), behaviour(r), actions, pick(r, null, "", "{\"k\":[1,2]}"),
                new DataContent.WebOptions(pick(r, null, "pl"), pick(r, null, "", "tag-1"),
                        pick(r, null, true, false), pick(r, null, true, false), pick(r, null, true, false),
                        pick(r, List.of(), List.of(100, 50, 100))),
                new DataContent.Sounds(pick(r, null, "ping"), pick(r, null, "ping.caf"), null));
    }

    private static Behaviour behaviour(Random r) {
        return r.nextInt(4) == 0 ? null : new Behaviour(pick(r, null, "https://example.com/x"),
                pick(r, null, "https://web.example.com"), pick(r, null, "app://android/deep"),
                pick(r, null, "app://huawei/deep"), pick(r, null, "app://ios/deep"));
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }
}
