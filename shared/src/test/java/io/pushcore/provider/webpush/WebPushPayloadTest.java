package io.pushcore.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.pushcore.model.Action;
import io.pushcore.model.Behaviour;
import io.pushcore.model.Content;
import io.pushcore.model.DataContent;
import io.pushcore.model.Push;
import io.pushcore.model.SilentContent;

class WebPushPayloadTest {

    private static final UUID CONTEXT = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID MESSAGE = UUID.fromString("22222222-2222-8222-8222-222222222222");
    private static final String IDS = "\"contextId\":\"11111111-1111-4111-8111-111111111111\","
            + "\"messageId\":\"22222222-2222-8222-8222-222222222222\"";

    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("title only, no foreign id",
                        push(null, data("Hi", null, null, null, null, null, Behaviour.NONE, List.of(), null,
                                null)),
                        "{\"title\":\"Hi\",\"data\":{" + IDS + ",\"actionsMap\":{}}}"),
                Arguments.of("full data context; an action without a URL opens the context's",
                        push("user-42", data("Hi", "Body", "https://cdn/i.png", "https://cdn/s.png",
                                "https://cdn/big.png", 3,
                                new Behaviour("https://example.com", null, "app://x", null, null),
                                List.of(new Action("a1", "Open", "https://cdn/a1.png",
                                        new Behaviour("https://example.com/a1", "https://web.example.com/a1", null,
                                                null, null)),
                                        new Action("a2", "Later", null, null)),
                                "{\"x\":1}",
                                new DataContent.WebOptions("pl", "news", true, false, false, List.of(100, 50)))),
                        "{\"title\":\"Hi\",\"body\":\"Body\",\"icon\":\"https://cdn/i.png\","
                                + "\"image\":\"https://cdn/big.png\",\"badge\":\"https://cdn/s.png\","
                                + "\"lang\":\"pl\",\"tag\":\"news\",\"renotify\":true,\"requireInteraction\":false,"
                                + "\"silent\":false,\"vibrate\":[100,50],"
                                + "\"actions\":[{\"action\":\"a1\",\"title\":\"Open\",\"icon\":\"https://cdn/a1.png\"},"
                                + "{\"action\":\"a2\",\"title\":\"Later\"}],"
                                + "\"data\":{" + IDS + ",\"foreignId\":\"user-42\","
                                + "\"actionsMap\":{\"default\":\"https://example.com\","
                                + "\"a1\":\"https://web.example.com/a1\",\"a2\":\"https://example.com\"},"
                                + "\"badge\":3,\"externalData\":\"{\\\"x\\\":1}\"}}"),
                Arguments.of("web behaviour overrides the fallback for the default click",
                        push(null, data(null, "b", null, null, null, 0,
                                new Behaviour("app://deep", "https://web.example.com", null, null, null), List.of(),
                                null, null)),
                        "{\"body\":\"b\",\"data\":{" + IDS
                                + ",\"actionsMap\":{\"default\":\"https://web.example.com\"},\"badge\":0}}"),
                Arguments.of("silent context",
                        push("f", new SilentContent("{\"sync\":true}")),
                        "{\"data\":{" + IDS + ",\"foreignId\":\"f\",\"externalData\":\"{\\\"sync\\\":true}\","
                                + "\"_silent\":true}}"),
                Arguments.of("silent context without external data",
                        push(null, new SilentContent(null)),
                        "{\"data\":{" + IDS + ",\"_silent\":true}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void buildsExactlyWhatTheCoreServiceWorkerParses(String name, Push push, String expected) {
        assertThat(new String(WebPushPayload.json(push), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    private static Push push(String foreignId, Content content) {
        return new Push(CONTEXT, MESSAGE, foreignId, content, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static DataContent data(String title, String body, String icon, String smallIcon, String image,
            Integer badge, Behaviour behaviour, List<Action> actions, String externalData,
            DataContent.WebOptions web) {
        return new DataContent(title, body, "subtitle is iOS only", icon, smallIcon, image, badge, 7, "channel",
                behaviour, actions, externalData, web, new DataContent.Sounds("s", null, null));
    }
}
