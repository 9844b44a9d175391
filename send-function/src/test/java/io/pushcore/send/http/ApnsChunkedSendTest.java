package io.pushcore.send.http;

import static io.pushcore.send.http.ApnsSendTest.bucket;
import static io.pushcore.send.http.ApnsSendTest.receiver;
import static io.pushcore.send.http.ApnsSendTest.send;
import static io.pushcore.send.http.SendApiTest.dataContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.eatthepath.pushy.apns.server.RejectionReason;

import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.testing.apns.FakeApnsServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * APNs receivers of one credential go out asynchronously in chunks (GroupSenders.APNS_CHUNK): results stay in request
 * order across chunks, and only the deferred ones of every chunk are sent again, together.
 */
@QuarkusTest
@TestProfile(InProcessAws.class)
class ApnsChunkedSendTest {

    private static final String APP = ProviderFakes.APP_BUNDLE_ID;

    @Test
    void keepsRequestOrderAcrossChunksAndRetriesOnlyTheDeferredOnes() {
        FakeApnsServer apns = ProviderFakes.apns();
        String[] bucket = bucket(MobileCredentials.apnsToken());
        String contextId = dataContext(bucket[0], Map.of("title", "t"));
        int count = 130;
        List<String> tokens = new ArrayList<>();
        List<Map<String, Object>> receivers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String token = MobileCredentials.apnsDeviceToken();
            apns.register(APP, token);
            tokens.add(token);
            receivers.add(receiver(bucket, token));
        }
        // deferred ones in the first, second and third chunk; permanent refusals are never retried
        List<Integer> busy = List.of(0, 7, 64, 129);
        List<Integer> bad = List.of(3, 100);
        busy.forEach(i -> apns.script(tokens.get(i), RejectionReason.SERVICE_UNAVAILABLE));
        apns.script(tokens.get(64), RejectionReason.TOO_MANY_REQUESTS);
        bad.forEach(i -> apns.script(tokens.get(i), RejectionReason.BAD_DEVICE_TOKEN));

        JsonPath reply = send(bucket, contextId, receivers);

        assertThat(reply.getList("results")).hasSize(count);
        for (int i = 0; i < count; i++) {
            List<String> errors = reply.getList("results[" + i + "].errors", String.class);
            if (bad.contains(i)) {
                assertThat(errors).as("receiver %d", i).singleElement().asString()
                        .startsWith("UNREGISTERED: APNs 400 BadDeviceToken");
                assertThat(apns.receivedFor(tokens.get(i))).as("receiver %d", i).hasSize(1);
            } else {
                assertThat(errors).as("receiver %d", i).isEmpty();
                assertThat(apns.receivedFor(tokens.get(i)).getLast().headers().get("apns-id"))
                        .isEqualTo(reply.getString("results[" + i + "].messageId"));
            }
        }
        assertThat(apns.receivedFor(tokens.get(0))).hasSize(2);
        assertThat(apns.receivedFor(tokens.get(7))).hasSize(2);
        assertThat(apns.receivedFor(tokens.get(64))).extracting(FakeApnsServer.Received::rejection)
                .containsExactly("SERVICE_UNAVAILABLE", "TOO_MANY_REQUESTS", null);
        assertThat(apns.receivedFor(tokens.get(129))).hasSize(2);
        assertThat(apns.receivedFor(tokens.get(50))).hasSize(1);
    }
}
