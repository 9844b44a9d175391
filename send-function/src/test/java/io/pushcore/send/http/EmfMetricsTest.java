package io.pushcore.send.http;

import static io.pushcore.send.http.ApnsSendTest.bucket;
import static io.pushcore.send.http.ApnsSendTest.send;
import static io.pushcore.send.http.SendApiTest.dataContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.testing.emf.EmfDocuments;
import io.pushcore.testing.fcm.FakeFcmServer.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * On Lambda (a metrics namespace is set, as the template does) a send writes its metrics to the log as EMF before its
 * response leaves: the documented metrics and dimensions, in documents CloudWatch accepts.
 */
@QuarkusTest
@TestProfile(EmfMetricsTest.OnLambda.class)
class EmfMetricsTest {

    public static class OnLambda extends InProcessAws {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pushcore.metrics.namespace", "pushcore-test");
        }
    }

    @Test
    void aSendWritesItsPushesErrorsLatencyAndEnqueuedEventsAsEmf() {
        String[] bucket = bucket(MobileCredentials.fcm("emf-project"));
        String contextId = dataContext(bucket[0], Map.of("title", "t"));
        String fine = "fine-" + UUID.randomUUID();
        String gone = "gone-" + UUID.randomUUID();
        ProviderFakes.fcm().script(gone, Reply.unregistered());

        List<String> lines = captureStdout(() -> {
            JsonPath reply = send(bucket, contextId, List.of(
                    Map.of("credentialId", bucket[1], "token", fine, "type", "fcm/android"),
                    Map.of("credentialId", bucket[1], "token", gone, "type", "fcm/android")));
            assertThat(reply.getList("results[1].errors", String.class)).singleElement().asString()
                    .startsWith("UNREGISTERED");
        });

        List<JsonNode> documents = EmfDocuments.parse(lines);
        assertThat(documents).isNotEmpty().allSatisfy(d -> assertThat(
                d.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("pushcore-test"));
        assertThat(EmfDocuments.sum(documents, "pushcore.pushes", Map.of("provider", "fcm", "outcome", "accepted")))
                .isEqualTo(1);
        assertThat(EmfDocuments.sum(documents, "pushcore.pushes",
                Map.of("provider", "fcm", "outcome", "unregistered"))).isEqualTo(1);
        assertThat(EmfDocuments.sum(documents, "pushcore.push.errors",
                Map.of("provider", "fcm", "code", "UNREGISTERED"))).isEqualTo(1);
        assertThat(EmfDocuments.values(documents, "pushcore.provider.latency", Map.of("provider", "fcm")))
                .isGreaterThanOrEqualTo(1);
        assertThat(EmfDocuments.sum(documents, "pushcore.events.enqueued", Map.of("outcome", "ok"))).isEqualTo(2);
        assertThat(documents).allSatisfy(d -> assertThat(d.at("/_aws/CloudWatchMetrics/0/Dimensions").size())
                .as("each metric also without dimensions, for alarms").isEqualTo(2));
        assertThat(lines).noneMatch(line -> line.contains(fine) || line.contains(gone));
    }

    /** What {@code action} printed to standard output, line by line; the response has left when it returns. */
    private static List<String> captureStdout(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
