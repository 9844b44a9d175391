package io.pushcore.provider.apns;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.pushcore.model.DataContent;
import io.pushcore.model.SilentContent;

class ApnsPayloadTest {

    private static DataContent body(String body) {
        return new DataContent("t", body, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void acceptsContentThatFitsAtContextCreation() {
        assertThatCode(() -> ApnsPayload.checkFits(body("x".repeat(3800)))).doesNotThrowAnyException();
        assertThatCode(() -> ApnsPayload.checkFits(new SilentContent("y".repeat(3900)))).doesNotThrowAnyException();
    }

    @Test
    void refusesContentOverFourKilobytesCountingUtf8Bytes() {
        assertThatThrownBy(() -> ApnsPayload.checkFits(body("é".repeat(2000))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("payload: the APNs payload would be ")
                .hasMessageEndingWith("bytes; APNs accepts at most 4096");
    }
}
