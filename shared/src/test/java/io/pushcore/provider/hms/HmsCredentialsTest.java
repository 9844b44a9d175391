package io.pushcore.provider.hms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

class HmsCredentialsTest {

    private static final Predicate<URI> PRODUCTION = HmsCredentials::isHuaweiUrl;

    private static Map<String, Object> payload(Object... pairs) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("appId", "101234567");
        payload.put("appSecret", "a1b2c3d4e5f6");
        for (int i = 0; i < pairs.length; i += 2) {
            payload.put((String) pairs[i], pairs[i + 1]);
        }
        return payload;
    }

    @Test
    void defaultsToHuaweisUrlsAndNeverShowsTheSecret() {
        HmsCredentials c = HmsCredentials.parse(payload(), PRODUCTION);

        assertThat(c.pushUrl()).isEqualTo(HmsCredentials.DEFAULT_PUSH_URL);
        assertThat(c.authUrl()).isEqualTo(HmsCredentials.DEFAULT_AUTH_URL);
        assertThat(c.sendUrl()).hasToString("https://push-api.cloud.huawei.com/v1/101234567/messages:send");
        assertThat(c.toString()).contains("101234567").doesNotContain("a1b2c3d4e5f6");
    }

    @Test
    void takesTheUrlsCoresReadmeShowsAndANumericAppId() {
        HmsCredentials c = HmsCredentials.parse(payload("appId", 101234567,
                "pushUrl", "https://push-api.cloud.huawei.com/v1/",
                "authUrl", "https://oauth-login.cloud.huawei.com/oauth2/v2/token"), PRODUCTION);

        assertThat(c.appId()).isEqualTo("101234567");
        assertThat(c.sendUrl()).hasToString("https://push-api.cloud.huawei.com/v1/101234567/messages:send");
        assertThat(c.authUrl()).hasToString("https://oauth-login.cloud.huawei.com/oauth2/v2/token");
    }

    @Test
    void refusesMissingOrMalformedFieldsNamingThem() {
        assertThatThrownBy(() -> HmsCredentials.parse(payload("appId", null), PRODUCTION))
                .hasMessageStartingWith("appId: is required");
        assertThatThrownBy(() -> HmsCredentials.parse(payload("appId", "../../admin"), PRODUCTION))
                .hasMessageStartingWith("appId: must be");
        assertThatThrownBy(() -> HmsCredentials.parse(payload("appSecret", " "), PRODUCTION))
                .hasMessageStartingWith("appSecret: is required");
        assertThatThrownBy(() -> HmsCredentials.parse(payload("appSecret", "x".repeat(513)), PRODUCTION))
                .hasMessageStartingWith("appSecret: must be up to 512");
        assertThatThrownBy(() -> HmsCredentials.parse(payload("appSecret", 42), PRODUCTION))
                .hasMessageStartingWith("appSecret: must be a string");
        assertThatThrownBy(() -> HmsCredentials.parse(payload("pushUrl", "not a url"), PRODUCTION))
                .hasMessageStartingWith("pushUrl: must be an absolute http(s) URL");
        assertThatThrownBy(() -> HmsCredentials.parse(payload("authUrl", "https://u:p@oauth-login.cloud.huawei.com/x"),
                PRODUCTION)).hasMessageStartingWith("authUrl: must be an absolute http(s) URL");
    }

    @Test
    void acceptsOnlyHttpsHuaweiHostsInProduction() {
        for (String url : new String[] { "http://push-api.cloud.huawei.com/v1", "https://127.0.0.1/v1",
                "https://push-api.cloud.huawei.com.evil.example/v1", "https://evilhuawei.com/v1" }) {
            assertThatThrownBy(() -> HmsCredentials.parse(payload("pushUrl", url), PRODUCTION))
                    .as(url).hasMessageStartingWith("pushUrl: must be an https URL on a Huawei host");
        }
        assertThat(HmsCredentials.parse(payload("pushUrl", "https://push-api.cloud.hicloud.com/v1"), PRODUCTION)
                .pushUrl()).hasToString("https://push-api.cloud.hicloud.com/v1");
        assertThat(HmsCredentials.parse(payload("pushUrl", "http://127.0.0.1:9/v1"), url -> true).pushUrl())
                .hasToString("http://127.0.0.1:9/v1");
    }
}
