package io.pushcore.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.pushcore.webhook.WebhookSigner;

class CallbackLimitsTest {

    static final String URL = "https://hooks.example.com/in";

    static String secret(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /** Headers of exactly {@code count} entries, each {@code valueLength} long. */
    static Map<String, String> headers(int count, int valueLength) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            headers.put("x-h" + i, "v".repeat(valueLength));
        }
        return headers;
    }

    @Test
    void acceptsACallbackAtEveryLimit() {
        String url = "https://hooks.example.com/" + "p".repeat(CallbackLimits.MAX_URL_LENGTH - 26);
        Map<String, String> headers = new LinkedHashMap<>(headers(7, CallbackLimits.MAX_HEADER_VALUE_LENGTH));
        headers.put("x-" + "n".repeat(CallbackLimits.MAX_HEADER_NAME_LENGTH - 2), "tab\tand obs-text \u00e9");

        assertThat(url).hasSize(CallbackLimits.MAX_URL_LENGTH);
        for (int bytes : new int[] { CallbackLimits.MIN_SECRET_BYTES, 32, CallbackLimits.MAX_SECRET_BYTES }) {
            assertThat(CallbackLimits.violations(url, headers, secret(bytes))).isEmpty();
        }
        assertThat(CallbackLimits.violations(url, headers(CallbackLimits.MAX_HEADERS, 10), null)).isEmpty();
        assertThat(CallbackLimits.violations(URL, null, null)).isEmpty();
        assertThat(CallbackLimits.violations(new Callback.None())).isEmpty();
    }

    @Test
    void refusesAUrlOverTheLimitNamingTheField() {
        String url = "https://hooks.example.com/" + "p".repeat(CallbackLimits.MAX_URL_LENGTH);

        assertThat(CallbackLimits.violations(url, Map.of(), null))
                .containsExactly("callbackConfig.payload.url: must be at most 2048 characters");
    }

    @Test
    void refusesTooManyHeadersAndTooManyHeaderBytes() {
        assertThat(CallbackLimits.violations(URL, headers(CallbackLimits.MAX_HEADERS + 1, 1), null))
                .containsExactly("callbackConfig.payload.headers: must be at most 20 headers");
        // 9 values of 1000 characters: each within its limit, together over 8 KiB
        assertThat(CallbackLimits.violations(URL, headers(9, 1000), null))
                .containsExactly("callbackConfig.payload.headers: names and values together must be at most 8192 "
                        + "bytes");
    }

    @Test
    void refusesHeaderNamesThatAreNotShortHttpTokensWithoutEchoingThem() {
        for (String name : new String[] { "", "x h", "x:h", "x\r\nInjected: 1", "caf\u00e9",
                "x".repeat(CallbackLimits.MAX_HEADER_NAME_LENGTH + 1) }) {
            String error = CallbackLimits.violations(URL, Map.of(name, "v", "x-ok", "v"), null).getFirst();
            assertThat(error).as(name).startsWith("callbackConfig.payload.headers: every name must be an HTTP token");
            if (!name.isEmpty()) {
                assertThat(error).doesNotContain(name);
            }
            assertThat(CallbackLimits.violations(URL, Map.of(name, "v", "x-ok", "v"), null)).hasSize(1);
        }
    }

    @Test
    void refusesHeaderValuesThatAreTooLongOrCannotBeSentNamingTheHeaderNotTheValue() {
        assertThat(CallbackLimits.violations(URL, Map.of("x-long", "v".repeat(1025)), null))
                .containsExactly("callbackConfig.payload.headers.x-long: must be at most 1024 characters");
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("x-null", null);
        assertThat(CallbackLimits.violations(URL, nullValue, null))
                .containsExactly("callbackConfig.payload.headers.x-null: must be a string");
        for (String value : new String[] { "a\rb", "a\nInjected: 1", "a\u0000b", "a\u0001b", "a\u007fb",
                "\u20ac" }) {
            assertThat(CallbackLimits.violations(URL, Map.of("x-bad", value), null)).as(value)
                    .singleElement().asString()
                    .startsWith("callbackConfig.payload.headers.x-bad: must not contain control characters")
                    .doesNotContain(value);
        }
    }

    @Test
    void acceptsOnlyStandardWebhooksKeysOfTwentyFourToSixtyFourBytes() {
        String tooShort = secret(CallbackLimits.MIN_SECRET_BYTES - 1);
        String tooLong = secret(CallbackLimits.MAX_SECRET_BYTES + 1);
        String raw = "a-password-the-official-libraries-would-base64-decode";
        String unpadded = secret(32).replaceAll("=+$", "");
        String urlSafe = "whsec_" + Base64.getUrlEncoder().encodeToString(new byte[] { -1, -2, -3, -4, -5, -6,
                -7, -8, -9, -10, -11, -12, -13, -14, -15, -16, -17, -18, -19, -20, -21, -22, -23, -24 });

        assertThat(urlSafe).containsAnyOf("-", "_");
        for (String secret : new String[] { tooShort, tooLong, raw, "whsec_", "whsec_not base64!", unpadded,
                urlSafe, "whsec_" + "A".repeat(100_000) }) {
            assertThat(CallbackLimits.violations(URL, Map.of(), secret)).as(secret).singleElement().asString()
                    .isEqualTo("callbackConfig.payload.secret: must be a Standard Webhooks key: whsec_ followed by "
                            + "the standard base64 (with padding) of 24 to 64 random bytes");
        }
    }

    @Test
    void anAcceptedSecretIsKeyedWithItsDecodedBytesAsTheStandardWebhooksLibrariesDo() throws Exception {
        String secret = secret(CallbackLimits.MIN_SECRET_BYTES);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal("msg_1.1700000000.{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(CallbackLimits.violations(URL, Map.of(), secret)).isEmpty();
        assertThat(new WebhookSigner(secret).sign("msg_1", 1_700_000_000L, body)).isEqualTo(expected);
    }

    @Test
    void checksARouteCallbackTheSameWay() {
        Callback.Http http = new Callback.Http(URI.create(URL), headers(CallbackLimits.MAX_HEADERS + 1, 1),
                "plain secret");

        assertThat(CallbackLimits.violations(http)).containsExactly(
                "callbackConfig.payload.headers: must be at most 20 headers",
                "callbackConfig.payload.secret: must be a Standard Webhooks key: whsec_ followed by the standard "
                        + "base64 (with padding) of 24 to 64 random bytes");
    }
}
