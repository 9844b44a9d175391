package io.pushcore.provider.hms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.hms.HmsResults.Answer;

class HmsResultsTest {

    private static Answer read(int status, String retryAfter, String body, String... tokens) {
        return HmsResults.read(status, retryAfter, body.getBytes(StandardCharsets.UTF_8), List.of(tokens));
    }

    private static List<Delivery> deliveries(Answer answer) {
        return ((Answer.PerToken) answer).deliveries();
    }

    @Test
    void acceptsWithTheRequestId() {
        assertThat(deliveries(read(200, null, "{\"code\":\"80000000\",\"msg\":\"Success\",\"requestId\":\"r1\"}",
                "t"))).containsExactly(new Delivery.Accepted("r1"));
    }

    @Test
    void readsWhichTokensFailedFromAPartialSuccessInBothFormats() {
        String old = "{\"code\":\"80100000\",\"msg\":\"{\\\"success\\\":1,\\\"failure\\\":1,"
                + "\\\"illegal_tokens\\\":[\\\"bad\\\"]}\",\"requestId\":\"r\"}";
        String grouped = "{\"code\":\"80100000\",\"msg\":\"{\\\"illegalTokens\\\":{\\\"noRight\\\":[\\\"bad\\\"]},"
                + "\\\"failure\\\":1}\",\"requestId\":\"r\"}";
        for (String body : List.of(old, grouped)) {
            List<Delivery> d = deliveries(read(200, null, body, "good", "bad"));
            assertThat(d.get(0)).isEqualTo(new Delivery.Accepted("r"));
            assertThat(d.get(1)).isInstanceOfSatisfying(Delivery.Rejected.class,
                    r -> assertThat(r.code()).isEqualTo(ErrorCode.UNREGISTERED));
        }
    }

    @Test
    void mapsEveryResultCodeToItsOutcome() {
        String invalid = "{\"code\":\"80300007\",\"msg\":\"{\\\"illegal_tokens\\\":[\\\"t\\\"]}\"}";
        assertThat(deliveries(read(400, null, invalid, "t")).getFirst()).isEqualTo(new Delivery.Rejected(
                ErrorCode.UNREGISTERED, "Push Kit 80300007: the token is not valid for this app"));
        assertThat(deliveries(read(403, null, "{\"code\":\"80300002\",\"msg\":\"no permission\"}", "t")).getFirst())
                .isEqualTo(new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED,
                        "Push Kit refused the credential: Push Kit 403 80300002: no permission"));
        assertThat(deliveries(read(200, null, "{\"code\":\"80300008\",\"msg\":\"too big\"}", "t")).getFirst())
                .extracting(d -> ((Delivery.Rejected) d).code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(deliveries(read(400, null, "{\"code\":\"80100003\",\"msg\":\"Illegal payload\"}", "t")).getFirst())
                .isEqualTo(new Delivery.Rejected(ErrorCode.PROVIDER_REJECTED,
                        "Push Kit 400 80100003: Illegal payload"));
        assertThat(read(401, null, "{\"code\":\"80200003\",\"msg\":\"Oauth Token expired\"}", "t"))
                .isInstanceOf(Answer.AccessTokenRefused.class);
        assertThat(read(401, null, "unauthorized", "t")).isInstanceOf(Answer.AccessTokenRefused.class);
        assertThat(deliveries(read(404, null, "<html>not here</html>", "t")).getFirst())
                .extracting(d -> ((Delivery.Rejected) d).code()).isEqualTo(ErrorCode.CREDENTIAL_REJECTED);
    }

    @Test
    void defersFlowControlServerErrorsAndInternalErrorsWithTheirHint() {
        assertThat(deliveries(read(503, "7", "{\"msg\":\"flow control\"}", "t")).getFirst())
                .isEqualTo(new Delivery.Deferred("Push Kit 503: flow control", Duration.ofSeconds(7)));
        assertThat(deliveries(read(429, null, "", "t")).getFirst()).isInstanceOf(Delivery.Deferred.class);
        assertThat(deliveries(read(200, null, "{\"code\":\"81000001\",\"msg\":\"inner error\"}", "t")).getFirst())
                .isInstanceOf(Delivery.Deferred.class);
    }

    @Test
    void cutsPushKitsTextShortAndStripsControlCharacters() {
        String reason = HmsResults.describe(400, "80100001", "bad\r\nline " + "x".repeat(500));
        assertThat(reason).doesNotContain("\n").hasSizeLessThan(240).startsWith("Push Kit 400 80100001: bad");
    }
}
