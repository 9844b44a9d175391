package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.bucketRequest;
import static io.pushcore.send.http.SendApiTest.dataContext;
import static io.pushcore.send.http.SendApiTest.receiver;
import static io.pushcore.send.http.SendApiTest.vapidCredential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.pushcore.model.Event;
import io.pushcore.model.EventKind;
import io.pushcore.queue.QueueCodec;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.send.support.SendAws;
import io.pushcore.testing.aws.InjectLocalAws;
import io.pushcore.testing.aws.LocalAws;
import io.pushcore.testing.fcm.FakeFcmServer;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Reply;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A send in which a provider answers in a way the code does not expect, after other receivers' pushes were
 * accepted, still answers with every receiver's result and records every receiver's event: the pushes that left are
 * never hidden behind a 500.
 */
@QuarkusTest
@TestProfile(InProcessAws.class)
class MidSendFailureTest {

    @InjectLocalAws
    LocalAws aws;

    @Test
    void anOversizedProviderAnswerAfterAcceptedPushesStillGivesEveryResultAndEvent() {
        JsonPath created = api().body(bucketRequest(vapidCredential(), MobileCredentials.fcm("odd-project")))
                .post("/v1/bucket").then().statusCode(200).extract().jsonPath();
        String bucketId = created.getString("bucketId");
        String vapid = created.getString("credentials[0].id");
        String fcm = created.getString("credentials[1].id");
        String contextId = dataContext(bucketId, Map.of("title", "hello"));
        String accepted = "accepted-" + UUID.randomUUID();
        String odd = "odd-" + UUID.randomUUID();
        // An error text larger than an SQS message: nothing bounded provider texts before they became event reasons.
        ProviderFakes.fcm().script(odd, FakeFcmServer.Reply.invalidArgument("x".repeat(300_000)));

        try (FakeWebPushServer browsers = new FakeWebPushServer()) {
            Subscriber browser = browsers.subscribe();
            JsonPath reply = api().body(Map.of("receivers", List.of(receiver(vapid, browser, "web"),
                    Map.of("credentialId", fcm, "token", accepted, "foreignId", "fcm-ok"),
                    Map.of("credentialId", fcm, "token", odd, "foreignId", "fcm-odd"))))
                    .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(200)
                    .extract().jsonPath();

            assertThat(browsers.received(browser)).hasSize(1);
            assertThat(reply.getList("results[0].errors")).isEmpty();
            assertThat(reply.getList("results[1].errors")).isEmpty();
            String error = reply.getList("results[2].errors", String.class).getFirst();
            assertThat(error).startsWith("PROVIDER_REJECTED: FCM 400 INVALID_ARGUMENT").hasSizeLessThan(1100);

            List<Event> events = eventsOf(UUID.fromString(contextId));
            assertThat(events).extracting(Event::messageId, Event::foreignId, Event::kind).containsExactlyInAnyOrder(
                    tuple(id(reply, 0), "web", EventKind.SENT),
                    tuple(id(reply, 1), "fcm-ok", EventKind.SENT),
                    tuple(id(reply, 2), "fcm-odd", EventKind.FAILED));
            assertThat(events.stream().filter(e -> e.kind() == EventKind.FAILED).findFirst().orElseThrow().reason())
                    .isEqualTo(error);

            api().body(Map.of("receivers", List.of(receiver(vapid, browser, "again"))))
                    .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(200);
            assertThat(browsers.received(browser)).hasSize(2);
        }
    }

    @Test
    void aSenderThatThrowsMidSendLeavesItsReceiverUnavailableAndEveryOtherOutcomeReported() {
        JsonPath created = api().body(bucketRequest(vapidCredential(), MobileCredentials.fcm("throw-project")))
                .post("/v1/bucket").then().statusCode(200).extract().jsonPath();
        String bucketId = created.getString("bucketId");
        String vapid = created.getString("credentials[0].id");
        String fcm = created.getString("credentials[1].id");
        String contextId = dataContext(bucketId, Map.of("title", "hello"));

        try (FakeWebPushServer browsers = new FakeWebPushServer()) {
            Subscriber accepted = browsers.subscribe();
            // A Retry-After of three millennia: its wait does not fit a long of nanoseconds, so the sender throws.
            Subscriber odd = browsers.subscribe().respond(Reply.status(429).withRetryAfter("99999999999"));
            JsonPath reply = api().body(Map.of("receivers", List.of(receiver(vapid, accepted, "web-ok"),
                    receiver(vapid, odd, "web-odd"),
                    Map.of("credentialId", fcm, "token", "fcm-" + UUID.randomUUID(), "foreignId", "fcm-ok"))))
                    .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(200)
                    .extract().jsonPath();

            assertThat(browsers.received(accepted)).hasSize(1);
            assertThat(browsers.received(odd)).isNotEmpty();
            assertThat(reply.getList("results[0].errors")).isEmpty();
            assertThat(reply.getList("results[1].errors", String.class)).singleElement().asString()
                    .startsWith("PROVIDER_UNAVAILABLE: ");
            assertThat(reply.getList("results[2].errors")).isEmpty();
            assertThat(eventsOf(UUID.fromString(contextId))).extracting(Event::messageId, Event::foreignId,
                    Event::kind).containsExactlyInAnyOrder(
                            tuple(id(reply, 0), "web-ok", EventKind.SENT),
                            tuple(id(reply, 1), "web-odd", EventKind.FAILED),
                            tuple(id(reply, 2), "fcm-ok", EventKind.SENT));
        }
    }

    private static UUID id(JsonPath reply, int index) {
        return UUID.fromString(reply.getString("results[" + index + "].messageId"));
    }

    /** This context's events; the queue is shared by the test classes of the profile, so others are skipped. */
    private List<Event> eventsOf(UUID contextId) {
        String url = aws.sqs().getQueueUrl(b -> b.queueName(SendAws.QUEUE)).queueUrl();
        List<Event> events = new ArrayList<>();
        while (true) {
            List<Message> messages = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return events.stream().filter(e -> e.contextId().equals(contextId)).toList();
            }
            for (Message message : messages) {
                events.addAll(QueueCodec.decode(message.body()).events());
                aws.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
    }
}
