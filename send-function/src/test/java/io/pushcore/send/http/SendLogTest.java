package io.pushcore.send.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pushcore.send.MessageDispatcher;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Each send writes one summary line carrying, through the request's MDC (JSON fields on Lambda), the tenant, bucket
 * and context, and the outcomes by kind; never a key, an endpoint or a foreign id.
 */
@QuarkusTest
@TestProfile(InProcessAws.class)
class SendLogTest {

    static FakeWebPushServer pushService;
    static final List<ExtLogRecord> RECORDS = new CopyOnWriteArrayList<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext) {
                ext.copyMdc();
                RECORDS.add(ext);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() {
        pushService = new FakeWebPushServer();
        Logger.getLogger(MessageDispatcher.class.getName()).addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() {
        Logger.getLogger(MessageDispatcher.class.getName()).removeHandler(CAPTURE);
        pushService.close();
    }

    @Test
    void oneSummaryLinePerSendWithTheRequestsIdsAndNoReceiverData() {
        String[] bucket = SendApiTest.bucket(SendApiTest.DEV_KEY);
        String contextId = SendApiTest.dataContext(bucket[0], Map.of("title", "hi"));
        Subscriber subscriber = pushService.subscribe();
        RECORDS.clear();

        SendApiTest.api().body(Map.of("receivers", List.of(
                SendApiTest.receiver(bucket[1], subscriber, "user-4711"),
                Map.of("credentialId", bucket[1], "endpoint", "ftp://not-a-push-service/x", "p256dh", "x", "auth",
                        "y", "foreignId", "user-4712"))))
                .post("/v1/bucket/" + bucket[0] + "/context/" + contextId + "/send").then().statusCode(200);

        List<ExtLogRecord> summaries = RECORDS.stream()
                .filter(r -> r.getFormattedMessage().startsWith("send: ")).toList();
        assertThat(summaries).hasSize(1);
        ExtLogRecord summary = summaries.getFirst();
        assertThat(summary.getFormattedMessage()).startsWith("send: 2 receiver(s), 1 sent, 1 failed, 0 unregistered in ");
        assertThat(summary.getMdcCopy()).containsEntry("tenant", "dev").containsEntry("bucketId", bucket[0])
                .containsEntry("contextId", contextId);
        String everything = RECORDS.stream().map(r -> r.getFormattedMessage() + r.getMdcCopy()).toList().toString();
        assertThat(everything).doesNotContain("user-4711", "user-4712", subscriber.endpoint(), "not-a-push-service",
                SendApiTest.DEV_KEY);
    }
}
