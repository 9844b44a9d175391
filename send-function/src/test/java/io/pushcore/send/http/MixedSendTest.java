package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.bucketRequest;
import static io.pushcore.send.http.SendApiTest.dataContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pushcore.crypto.MessageIds;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.testing.apns.FakeApnsServer;
import io.pushcore.testing.fcm.FakeFcmServer;
import io.pushcore.testing.fcm.FakeFcmServer.Reply;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.pushcore.testing.webpush.ReceivedPush;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** One 1000-receiver request across a vapid, an fcm_v1 and an apns_token credential of one bucket. */
@QuarkusTest
@TestProfile(InProcessAws.class)
class MixedSendTest {

    static FakeWebPushServer webPush;

    @Inject
    MessageIds messageIds;

    @BeforeAll
    static void start() {
        webPush = new FakeWebPushServer();
    }

    @AfterAll
    static void stop() {
        webPush.close();
    }

    private enum Kind {
        WEB, FCM, APNS
    }

    private record Sent(Kind kind, boolean dead, String address, Subscriber subscriber) {
    }

    @Test
    void sendsAThousandReceiversAcrossThreeProvidersReportingEachInOrder() {
        FakeApnsServer apns = ProviderFakes.apns();
        FakeFcmServer fcm = ProviderFakes.fcm();
        FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        webPush.expectVapidPublicKey(vapid.publicKey());
        JsonPath bucket = api().body(bucketRequest(
                Map.of("type", "vapid", "payload", Map.of("publicKey", vapid.publicKey(), "privateKey",
                        vapid.privateKey())),
                MobileCredentials.fcm("mixed-project"), MobileCredentials.apnsToken()))
                .post("/v1/bucket").then().statusCode(200).extract().jsonPath();
        String bucketId = bucket.getString("bucketId");
        List<String> credentialIds = bucket.getList("credentials.id");
        String contextId = dataContext(bucketId, Map.of("title", "Mixed", "body", "bulk"));

        List<Sent> sent = new ArrayList<>();
        List<Map<String, Object>> receivers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Kind kind = Kind.values()[i % 3];
            boolean dead = (i / 3) % 5 == 0;
            String foreignId = "user-" + i;
            switch (kind) {
                case WEB -> {
                    Subscriber s = webPush.subscribe().respond(dead ? 410 : 201);
                    sent.add(new Sent(kind, dead, s.endpoint(), s));
                    receivers.add(Map.of("credentialId", credentialIds.get(0), "endpoint", s.endpoint(), "p256dh",
                            s.p256dh(), "auth", s.auth(), "foreignId", foreignId, "type", "vapid"));
                }
                case FCM -> {
                    String token = "mixed-" + i + "-" + UUID.randomUUID();
                    if (dead) {
                        fcm.script(token, Reply.unregistered());
                    }
                    sent.add(new Sent(kind, dead, token, null));
                    receivers.add(Map.of("credentialId", credentialIds.get(1), "token", token, "foreignId",
                            foreignId, "type", "fcm/android"));
                }
                case APNS -> {
                    String token = MobileCredentials.apnsDeviceToken();
                    if (dead) {
                        apns.unregister(ProviderFakes.APP_BUNDLE_ID, token, java.time.Instant.now());
                    } else {
                        apns.register(ProviderFakes.APP_BUNDLE_ID, token);
                    }
                    sent.add(new Sent(kind, dead, token, null));
                    receivers.add(Map.of("credentialId", credentialIds.get(2), "token", token, "foreignId",
                            foreignId, "type", "apns/ios"));
                }
            }
        }

        JsonPath reply = api().body(Map.of("receivers", receivers))
                .post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send").then().statusCode(200)
                .extract().jsonPath();

        List<Map<String, Object>> results = reply.getList("results");
        assertThat(results).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            Sent s = sent.get(i);
            UUID messageId = UUID.fromString((String) results.get(i).get("messageId"));
            assertThat(messageIds.verify(UUID.fromString(contextId), messageId)).isTrue();
            @SuppressWarnings("unchecked")
            List<String> errors = (List<String>) results.get(i).get("errors");
            if (s.dead()) {
                assertThat(errors).as("receiver %d (%s)", i, s.kind()).singleElement().asString()
                        .startsWith("UNREGISTERED: ");
            } else {
                assertThat(errors).as("receiver %d (%s)", i, s.kind()).isEmpty();
            }
            String expectedForeignId = "user-" + i;
            switch (s.kind()) {
                case WEB -> {
                    // RFC 8030 lets a sender retry an attempt that timed out (the machine may be loaded), so a
                    // push service can see one message twice; every copy carries the message's Topic, with which a
                    // real push service replaces a still-stored first copy. One message per receiver, by Topic.
                    List<ReceivedPush> received = webPush.received(s.subscriber());
                    assertThat(received).as("receiver %d", i).isNotEmpty()
                            .allSatisfy(p -> assertThat(p.decrypted()).isTrue())
                            .allSatisfy(p -> assertThat(p.plaintext()).contains(messageId.toString(),
                                    "\"foreignId\":\"" + expectedForeignId + "\""));
                    assertThat(received.stream().map(p -> p.header("Topic")).distinct()).as("receiver %d", i)
                            .containsExactly(messageId.toString().replace("-", ""));
                }
                case FCM -> assertThat(fcm.requestsFor(s.address())).as("receiver %d", i).singleElement()
                        .satisfies(r -> assertThat(r.json().path("message").path("data").path("_ppg").asText())
                                .contains(messageId.toString(), "\"foreignId\":\"" + expectedForeignId + "\""));
                case APNS -> assertThat(apns.receivedFor(s.address())).as("receiver %d", i).singleElement()
                        .satisfies(r -> assertThat(r.headers()).containsEntry("apns-id", messageId.toString()))
                        .satisfies(r -> assertThat(r.payload()).contains(
                                "\"foreignId\":\"" + expectedForeignId + "\""));
            }
        }
        assertThat(results.stream().map(r -> r.get("messageId")).distinct()).hasSize(1000);
    }
}
