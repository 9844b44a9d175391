package io.pushcore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.eatthepath.pushy.apns.server.RejectionReason;
import com.fasterxml.jackson.databind.JsonNode;

import io.pushcore.e2e.support.Endpoints;
import io.pushcore.e2e.support.PushcoreClient;
import io.pushcore.e2e.support.WebhookReceiver;
import io.pushcore.e2e.support.WebhookReceiver.Delivery;
import io.pushcore.e2e.support.WebhookReceiver.Message;
import io.pushcore.testing.apns.FakeApnsServer;
import io.pushcore.testing.apns.TestPki;
import io.pushcore.testing.fcm.FakeFcmServer;
import io.pushcore.testing.hms.FakeHmsServer;
import io.pushcore.testing.sdk.AndroidSdk;
import io.pushcore.testing.webpush.FakeWebPushServer;
import io.pushcore.testing.webpush.FakeWebPushServer.Subscriber;
import io.pushcore.testing.webpush.ReceivedPush;

/**
 * All three packaged functions behind the local API: a send to web push, APNs, FCM and Huawei Push Kit receivers
 * (and to one of a legacy FCM credential), and the client events the service worker and the mobile SDKs post, reach
 * the bucket's webhook as signed packages holding exactly the events that happened, through SQS and the aggregator
 * on its schedule. The provider endpoints are real local servers: {@link FakeWebPushServer} decrypts every push,
 * {@link FakeApnsServer} (pushy's mock APNs over TLS) verifies the provider token, {@link FakeFcmServer} and
 * {@link FakeHmsServer} run their OAuth flows; the function finds APNs and FCM through its {@code SEND_PROVIDERS_*}
 * environment and Push Kit through the {@code hms} credential's {@code pushUrl} and {@code authUrl}.
 */
class SystemIT {

    static final Duration ARRIVAL = Duration.ofSeconds(90);
    static final String APNS_TOPIC = "io.pushcore.e2e";
    static final String FCM_PROJECT = "pushcore-e2e";
    static final String HMS_APP = "106000001";
    /** The context's lifetime: each provider's expiry must follow it. */
    static final long CONTEXT_TTL_SECONDS = 3600;
    /** How CORE's Android SDK writes {@code ts} (TimeHelper: {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}, UTC). */
    static final DateTimeFormatter ANDROID_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    static FakeWebPushServer pushService;
    static FakeApnsServer apns;
    static FakeFcmServer fcm;
    static FakeHmsServer hms;
    static Endpoints endpoints;
    static PushcoreClient api;
    static final HttpClient DEVICE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(System.getProperty("pushcore.e2e.base-url", "").isBlank(),
                "the webhook receiver and push endpoints are on this machine");
        pushService = new FakeWebPushServer();
        apns = FakeApnsServer.start(APNS_TOPIC);
        fcm = FakeFcmServer.start();
        hms = FakeHmsServer.start();
        endpoints = Endpoints.start(Map.of(
                "SEND_PROVIDERS_APNS_HOST", "localhost",
                "SEND_PROVIDERS_APNS_PORT", String.valueOf(apns.port()),
                "SEND_PROVIDERS_APNS_TRUSTED_CERTIFICATES", TestPki.pem(apns.certificateAuthority()),
                "SEND_PROVIDERS_FCM_BASE_URL", fcm.baseUrl().toString()), Duration.ofSeconds(1));
        api = endpoints.client();
    }

    @AfterAll
    static void stop() {
        if (endpoints != null) {
            endpoints.close();
        }
        for (AutoCloseable server : new AutoCloseable[] { pushService, apns, fcm, hms }) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                // the next server still gets closed
            }
        }
    }

    /** The message ids and event kinds a webhook should see: messageId|kind|action. */
    private static String key(String messageId, String kind, String action) {
        return messageId + "|" + kind + "|" + (action == null ? "" : action);
    }

    private static String key(Message m) {
        return key(m.messageId(), m.kind(), m.action());
    }

    private static Set<String> keys(List<Message> messages) {
        return messages.stream().map(SystemIT::key).collect(Collectors.toSet());
    }

    @Test
    void theWebhookGetsExactlyTheEventsOfASendToEveryProviderAndOfItsClientEventsSigned() throws Exception {
        String secret = newSecret();
        try (WebhookReceiver webhook = new WebhookReceiver(secret, 0)) {
            Bucket bucket = bucket(webhook.url(), secret);
            Instant contextRequested = Instant.now();
            String contextId = context(bucket.id());

            // Web push: three live subscriptions, one gone (410), one naming no credential of the bucket.
            List<Subscriber> browsers = List.of(pushService.subscribe(), pushService.subscribe(),
                    pushService.subscribe());
            Subscriber goneBrowser = pushService.subscribe().respond(410);
            // APNs: a registered iPhone, one unregistered since yesterday (410 Unregistered), one BadDeviceToken.
            String iphone = apnsToken();
            String goneIphone = apnsToken();
            String badIphone = apnsToken();
            apns.register(APNS_TOPIC, iphone, badIphone);
            apns.unregister(APNS_TOPIC, goneIphone, Instant.now().minus(Duration.ofDays(1)));
            apns.script(badIphone, RejectionReason.BAD_DEVICE_TOKEN);
            // FCM: a live Android device, one UNREGISTERED, one refused for good (INVALID_ARGUMENT, not its token).
            String android = "fcm-" + UUID.randomUUID();
            String goneAndroid = "fcm-" + UUID.randomUUID();
            String refusedAndroid = "fcm-" + UUID.randomUUID();
            fcm.script(goneAndroid, FakeFcmServer.Reply.unregistered());
            fcm.script(refusedAndroid, FakeFcmServer.Reply.invalidArgument("Request contains an invalid argument."));
            // Push Kit: a live Huawei device and one whose token Push Kit no longer takes.
            String huawei = "hms-" + UUID.randomUUID();
            String goneHuawei = "hms-" + UUID.randomUUID();
            hms.script(goneHuawei, FakeHmsServer.Reply.INVALID_TOKEN);

            // Receivers by foreignId, in send order.
            Map<String, Map<String, String>> receivers = new LinkedHashMap<>();
            for (int i = 0; i < browsers.size(); i++) {
                receivers.put("web-" + i, webPush(bucket.vapid(), browsers.get(i)));
            }
            receivers.put("web-gone", webPush(bucket.vapid(), goneBrowser));
            receivers.put("no-credential", Map.of("credentialId", "no-such-credential", "token", "abc"));
            receivers.put("ios", device(bucket.apns(), "apns/ios", iphone));
            receivers.put("ios-gone", device(bucket.apns(), "apns/ios", goneIphone));
            receivers.put("ios-bad-token", device(bucket.apns(), "apns/ios", badIphone));
            receivers.put("android", device(bucket.fcm(), "fcm/android", android));
            receivers.put("android-gone", device(bucket.fcm(), "fcm/android", goneAndroid));
            receivers.put("android-refused", device(bucket.fcm(), "fcm/android", refusedAndroid));
            receivers.put("huawei", device(bucket.hms(), "hms/android", huawei));
            receivers.put("huawei-gone", device(bucket.hms(), "hms/android", goneHuawei));
            receivers.put("android-legacy", device(bucket.fcmLegacy(), "fcm/android", "legacy-" + UUID.randomUUID()));

            Instant sendStarted = Instant.now();
            Sent sent = send(bucket.id(), contextId, receivers);
            Instant sendEnded = Instant.now();

            // What the API answered per receiver; the webhook's reasons must be these texts.
            for (String alive : List.of("web-0", "web-1", "web-2", "ios", "android", "huawei")) {
                assertThat(sent.errors(alive)).as(alive).isEmpty();
            }
            assertThat(sent.error("web-gone")).startsWith("UNREGISTERED: ");
            assertThat(sent.error("no-credential")).startsWith("UNKNOWN_CREDENTIAL: ");
            assertThat(sent.error("ios-gone")).startsWith("UNREGISTERED: APNs 410 Unregistered");
            assertThat(sent.error("ios-bad-token")).startsWith("UNREGISTERED: APNs 400 BadDeviceToken");
            assertThat(sent.error("android-gone")).startsWith("UNREGISTERED: FCM 404 UNREGISTERED");
            assertThat(sent.error("android-refused")).startsWith("PROVIDER_REJECTED: FCM 400 INVALID_ARGUMENT");
            assertThat(sent.error("huawei-gone")).isEqualTo(
                    "UNREGISTERED: Push Kit 80300007: the token is not valid for this app");
            assertThat(sent.error("android-legacy")).startsWith("CREDENTIAL_REJECTED: receivers[13].credentialId: "
                    + "an fcm_legacy credential cannot send: Google shut the legacy FCM HTTP API down");

            Set<String> expected = new HashSet<>();
            for (String f : List.of("web-0", "web-1", "web-2", "ios", "android", "huawei")) {
                expected.add(key(sent.id(f), "sent", null));
            }
            for (String f : List.of("web-gone", "ios-gone", "ios-bad-token", "android-gone", "huawei-gone")) {
                expected.add(key(sent.id(f), "unregistered", null));
            }
            for (String f : List.of("no-credential", "android-refused", "android-legacy")) {
                expected.add(key(sent.id(f), "failed", null));
            }

            // The service worker reads contextId and messageId from the decrypted push, as the SDK does.
            List<String> shown = new ArrayList<>();
            for (Subscriber subscriber : browsers) {
                JsonNode data = PushcoreClient.JSON.readTree(decrypted(subscriber).plaintext()).path("data");
                assertThat(data.path("contextId").asText()).isEqualTo(contextId);
                String messageId = data.path("messageId").asText();
                shown.add(messageId);
                assertThat(serviceWorkerEvent(contextId, "delivered", messageId, sent.foreignId(messageId), null))
                        .isEqualTo(201);
                expected.add(key(messageId, "delivered", null));
            }
            assertThat(shown).containsExactlyInAnyOrder(sent.id("web-0"), sent.id("web-1"), sent.id("web-2"));
            assertThat(serviceWorkerEvent(contextId, "clicked", shown.get(0), sent.foreignId(shown.get(0)), "open"))
                    .isEqualTo(201);
            expected.add(key(shown.get(0), "clicked", "open"));
            assertThat(serviceWorkerEvent(contextId, "closed", shown.get(1), sent.foreignId(shown.get(1)), null))
                    .isEqualTo(201);
            expected.add(key(shown.get(1), "closed", null));
            assertThat(serviceWorkerEvent(contextId, "close", shown.get(2), sent.foreignId(shown.get(2)), null))
                    .isEqualTo(201);
            expected.add(key(shown.get(2), "closed", null));

            // APNs got one alert push for the iPhone, with the ids the iOS SDK reads.
            FakeApnsServer.Received toIphone = apns.receivedFor(iphone).getFirst();
            assertThat(apns.receivedFor(iphone)).hasSize(1);
            assertThat(toIphone.rejection()).isNull();
            assertThat(toIphone.headers()).containsEntry("apns-topic", APNS_TOPIC)
                    .containsEntry("apns-push-type", "alert").containsEntry("apns-priority", "10");
            assertThat(toIphone.headers().get("apns-id")).isEqualToIgnoringCase(sent.id("ios"));
            // The context's ttl counts from each send (README, "Outcomes and errors"), to the second as APNs takes it.
            assertThat(Long.parseLong(toIphone.headers().get("apns-expiration"))).isBetween(
                    sendStarted.getEpochSecond() + CONTEXT_TTL_SECONDS,
                    sendEnded.getEpochSecond() + CONTEXT_TTL_SECONDS);
            JsonNode userInfo = PushcoreClient.JSON.readTree(toIphone.payload());
            assertThat(userInfo.path("messageId").asText()).isEqualTo(sent.id("ios"));
            assertThat(userInfo.path("contextId").asText()).isEqualTo(contextId);
            assertThat(userInfo.path("foreignId").asText()).isEqualTo("ios");
            assertThat(userInfo.path("aps").path("alert").path("title").asText()).isEqualTo("Hello");
            assertThat(userInfo.path("aps").path("mutable-content").asInt()).isEqualTo(1);
            // The dead tokens were tried once each: a permanent answer is not retried.
            assertThat(apns.receivedFor(goneIphone)).singleElement()
                    .satisfies(r -> assertThat(r.rejection()).isEqualTo(RejectionReason.UNREGISTERED.name()));
            assertThat(apns.receivedFor(badIphone)).singleElement()
                    .satisfies(r -> assertThat(r.rejection()).isEqualTo(RejectionReason.BAD_DEVICE_TOKEN.name()));

            // FCM got one data message for the Android device: _ppg holds the JSON the Android SDK parses.
            assertThat(fcm.requestsFor(android)).hasSize(1);
            FakeFcmServer.Request toAndroid = fcm.requestsFor(android).getFirst();
            assertThat(toAndroid.projectId()).isEqualTo(FCM_PROJECT);
            JsonNode message = toAndroid.json().path("message");
            assertThat(message.has("notification")).as("a data message: the SDK draws it").isFalse();
            assertThat(message.path("android").path("priority").asText()).isEqualToIgnoringCase("high");
            assertThat(seconds(message.path("android").path("ttl").asText()))
                    .isBetween(CONTEXT_TTL_SECONDS - Duration.between(contextRequested, Instant.now()).toSeconds() - 1,
                            CONTEXT_TTL_SECONDS);
            JsonNode ppg = PushcoreClient.JSON.readTree(message.path("data").path("_ppg").asText());
            assertThat(ppg.path("messageId").asText()).isEqualTo(sent.id("android"));
            assertThat(ppg.path("contextId").asText()).isEqualTo(contextId);
            assertThat(ppg.path("foreignId").asText()).isEqualTo("android");
            assertThat(ppg.path("title").asText()).isEqualTo("Hello");
            assertThat(fcm.requestsFor(goneAndroid)).hasSize(1);
            assertThat(fcm.requestsFor(refusedAndroid)).hasSize(1);

            // Push Kit got one data message for the Huawei device, with the app's access token; its data is what
            // the Android SDK's HmsNotificationTranslator reads.
            assertThat(hms.requestsFor(huawei)).hasSize(1);
            FakeHmsServer.Request toHuawei = hms.requestsFor(huawei).getFirst();
            assertThat(toHuawei.appId()).isEqualTo(HMS_APP);
            assertThat(toHuawei.authorization()).startsWith("Bearer hms-at-");
            assertThat(toHuawei.tokens()).containsExactly(huawei);
            assertThat(seconds(toHuawei.json().path("message").path("android").path("ttl").asText()))
                    .isBetween(CONTEXT_TTL_SECONDS - Duration.between(contextRequested, Instant.now()).toSeconds() - 1,
                            CONTEXT_TTL_SECONDS);
            AndroidSdk.RemotePpgMessage onHuawei = (AndroidSdk.RemotePpgMessage) AndroidSdk.fromHms(
                    toHuawei.json().path("message").path("data").asText());
            assertThat(onHuawei.messageId()).hasToString(sent.id("huawei"));
            assertThat(onHuawei.contextId()).hasToString(contextId);
            assertThat(onHuawei.foreignId()).isEqualTo("huawei");
            assertThat(onHuawei.title()).isEqualTo("Hello");
            assertThat(hms.requestsFor(goneHuawei)).hasSize(1);
            assertThat(hms.tokenRequests(HMS_APP)).isEqualTo(1);

            // The apps report what happened, with the ids from the push and their own timestamps.
            Map<String, Instant> reportedAt = new HashMap<>();
            Instant now = Instant.now();
            Instant androidShown = now.minusMillis(2_345).truncatedTo(ChronoUnit.MILLIS);
            Instant androidDismissed = now.minusMillis(1_234).truncatedTo(ChronoUnit.MILLIS);
            Instant iosShown = now.minusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
            Instant iosTapped = now.minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
            String androidId = ppg.path("messageId").asText();
            String iosId = userInfo.path("messageId").asText();
            assertThat(androidEvent(contextId, "delivered", androidId, "android", null, androidShown))
                    .isEqualTo(201);
            reportedAt.put(key(androidId, "delivered", null), androidShown);
            assertThat(androidEvent(contextId, "closed", androidId, "android", null, androidDismissed))
                    .isEqualTo(201);
            reportedAt.put(key(androidId, "closed", null), androidDismissed);
            assertThat(iosEvent(contextId, "delivered", iosId, "ios", null, iosShown)).isEqualTo(201);
            reportedAt.put(key(iosId, "delivered", null), iosShown);
            assertThat(iosEvent(contextId, "clicked", iosId, "ios", "default", iosTapped)).isEqualTo(201);
            reportedAt.put(key(iosId, "clicked", "default"), iosTapped);
            // The Android SDK reports Huawei devices' events the same way.
            String huaweiId = onHuawei.messageId().toString();
            assertThat(androidEvent(contextId, "clicked", huaweiId, "huawei", "default", androidShown))
                    .isEqualTo(201);
            reportedAt.put(key(huaweiId, "clicked", "default"), androidShown);
            expected.addAll(reportedAt.keySet());

            // Forged or misrouted client events are refused and never reach the webhook.
            String forged = UUID.randomUUID().toString();
            assertThat(serviceWorkerEvent(contextId, "clicked", forged, "web-0", "open")).isBetween(400, 499);
            assertThat(androidEvent(contextId, "delivered", forged, "android", null, now)).isBetween(400, 499);
            String otherContext = context(bucket.id());
            assertThat(serviceWorkerEvent(otherContext, "delivered", shown.get(0), "web-0", null)).isBetween(400, 499);
            assertThat(iosEvent(otherContext, "delivered", iosId, "ios", null, iosShown)).isBetween(400, 499);

            // Done once every expected event was accepted and the queue is empty: nothing else can still arrive.
            List<Message> arrived = webhook.awaitAccepted(
                    messages -> keys(messages).containsAll(expected) && endpoints.queuedEvents() == 0, ARRIVAL);

            assertThat(arrived.stream().map(SystemIT::key).toList()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(endpoints.queuedEvents()).isZero();
            assertThat(endpoints.deadLetteredEvents()).isZero();
            assertThat(webhook.deliveries()).allSatisfy(d -> {
                assertThat(d.signatureValid()).isTrue();
                assertThat(d.answered()).isEqualTo(200);
                assertThat(d.headers()).containsEntry("x-customer", "e2e")
                        .containsEntry("content-type", "application/json");
            });
            assertThat(arrived).noneMatch(m -> m.messageId().equals(forged));
            for (Message m : arrived) {
                assertThat(m.foreignId()).as(key(m)).isEqualTo(sent.foreignId(m.messageId()));
                switch (m.kind()) {
                    case "sent" -> {
                        assertThat(m.reason()).as(key(m)).isNull();
                        assertThat(m.ts()).as(key(m)).isBetween(sendStarted.toEpochMilli(), sendEnded.toEpochMilli());
                    }
                    case "unregistered", "failed" -> {
                        assertThat(m.reason()).as(key(m)).isEqualTo(sent.error(m.foreignId()));
                        assertThat(m.ts()).as(key(m)).isBetween(sendStarted.toEpochMilli(), sendEnded.toEpochMilli());
                    }
                    default -> {
                        assertThat(m.reason()).as(key(m)).isNull();
                        Instant reported = reportedAt.get(key(m));
                        if (reported != null) {
                            assertThat(m.ts()).as(key(m)).isEqualTo(reported.toEpochMilli());
                        } else {
                            assertThat(m.ts()).as(key(m)).isPositive();
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyEventArrivesAfterTheWebhookFailedForAWhileAndRepeatsKeepTheirWebhookId() throws Exception {
        String secret = newSecret();
        try (WebhookReceiver webhook = new WebhookReceiver(secret, 2)) {
            Bucket bucket = bucket(webhook.url(), secret);
            String contextId = context(bucket.id());
            List<Subscriber> alive = List.of(pushService.subscribe(), pushService.subscribe(),
                    pushService.subscribe());
            Map<String, Map<String, String>> receivers = new LinkedHashMap<>();
            for (int i = 0; i < alive.size(); i++) {
                receivers.put("user-" + i, webPush(bucket.vapid(), alive.get(i)));
            }
            Sent sent = send(bucket.id(), contextId, receivers);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < alive.size(); i++) {
                String messageId = sent.id("user-" + i);
                decrypted(alive.get(i));
                expected.add(key(messageId, "sent", null));
                assertThat(serviceWorkerEvent(contextId, "delivered", messageId, "user-" + i, null)).isEqualTo(201);
                expected.add(key(messageId, "delivered", null));
            }

            // Done once every expected event was accepted and the queue is empty: no retry is still pending.
            List<Message> arrived = webhook.awaitAccepted(
                    messages -> keys(messages).containsAll(expected) && endpoints.queuedEvents() == 0, ARRIVAL);

            assertThat(keys(arrived)).isEqualTo(expected);
            assertThat(endpoints.queuedEvents()).isZero();
            assertThat(endpoints.deadLetteredEvents()).isZero();
            List<Delivery> deliveries = webhook.deliveries();
            assertThat(deliveries).allSatisfy(d -> assertThat(d.signatureValid()).isTrue());
            assertThat(deliveries).filteredOn(d -> d.answered() == 500).hasSize(2);
            // An event seen more than once was only ever carried by retries of one package.
            Map<String, Set<String>> webhookIds = new LinkedHashMap<>();
            for (Delivery delivery : deliveries) {
                for (Message message : delivery.messages()) {
                    webhookIds.computeIfAbsent(key(message), k -> new HashSet<>()).add(delivery.webhookId());
                }
            }
            assertThat(webhookIds).allSatisfy((event, ids) -> assertThat(ids).as(event).hasSize(1));
            // The failed packages were retried, with the same webhook-id, until answered 200.
            Set<String> acceptedIds = deliveries.stream().filter(d -> d.answered() == 200).map(Delivery::webhookId)
                    .collect(Collectors.toSet());
            assertThat(deliveries).filteredOn(d -> d.answered() == 500)
                    .allSatisfy(d -> assertThat(acceptedIds).contains(d.webhookId()));
        }
    }

    /**
     * A bucket with one credential per provider, each pointing at this class's local servers, and a legacy FCM one
     * (all of a CORE user's providers in one bucket).
     */
    private record Bucket(String id, String vapid, String apns, String fcm, String hms, String fcmLegacy) {
    }

    /** A send's results by the receivers' foreignIds. */
    private record Sent(Map<String, String> idByForeignId, Map<String, List<String>> errorsByForeignId) {

        String id(String foreignId) {
            return idByForeignId.get(foreignId);
        }

        List<String> errors(String foreignId) {
            return errorsByForeignId.get(foreignId);
        }

        /** The one error of a receiver that failed. */
        String error(String foreignId) {
            assertThat(errors(foreignId)).as(foreignId).hasSize(1);
            return errors(foreignId).getFirst();
        }

        String foreignId(String messageId) {
            return idByForeignId.entrySet().stream().filter(e -> e.getValue().equals(messageId))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
        }
    }

    private static String newSecret() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static String apnsToken() {
        byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    private static Bucket bucket(URI webhook, String secret) throws Exception {
        FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
        pushService.expectVapidPublicKey(vapid.publicKey());
        PushcoreClient.Reply reply = api.post("/v1/bucket", Map.of(
                "providerCredentials", List.of(
                        Map.of("type", "vapid", "payload",
                                Map.of("publicKey", vapid.publicKey(), "privateKey", vapid.privateKey())),
                        Map.of("type", "apns_token", "payload", Map.of("teamId", FakeApnsServer.TEAM_ID,
                                "keyId", FakeApnsServer.KEY_ID, "key", apns.signingKeyPem(), "production", false,
                                "appBundleId", APNS_TOPIC)),
                        Map.of("type", "fcm_v1",
                                "payload", PushcoreClient.JSON.readTree(fcm.serviceAccountJson(FCM_PROJECT))),
                        Map.of("type", "hms", "payload", hms.credential(HMS_APP)),
                        Map.of("type", "fcm_legacy", "payload", Map.of("senderId", "1", "authorizationKey", "k"))),
                "callbackConfig", Map.of("type", "http", "payload", Map.of("url", webhook.toString(), "secret", secret,
                        "headers", Map.of("x-customer", "e2e")))));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        JsonNode credentials = reply.body().path("credentials");
        assertThat(credentials).extracting(c -> c.path("type").asText())
                .containsExactly("vapid", "apns_token", "fcm_v1", "hms", "fcm_legacy");
        return new Bucket(reply.body().path("bucketId").asText(), credentials.get(0).path("id").asText(),
                credentials.get(1).path("id").asText(), credentials.get(2).path("id").asText(),
                credentials.get(3).path("id").asText(), credentials.get(4).path("id").asText());
    }

    private static String context(String bucketId) throws Exception {
        PushcoreClient.Reply reply = api.post("/v1/bucket/" + bucketId + "/context/data",
                Map.of("title", "Hello", "body", "events end to end", "ttl", CONTEXT_TTL_SECONDS));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().path("contextId").asText();
    }

    private static Map<String, String> webPush(String credentialId, Subscriber s) {
        return Map.of("credentialId", credentialId, "endpoint", s.endpoint(), "p256dh", s.p256dh(), "auth",
                s.auth());
    }

    /** A mobile receiver as CORE's SDKs hand it to the customer: its type and device token. */
    private static Map<String, String> device(String credentialId, String type, String token) {
        return Map.of("credentialId", credentialId, "type", type, "token", token);
    }

    /** Sends to {@code receivers} (by foreignId, which each receiver gets) in their order. */
    private static Sent send(String bucketId, String contextId, Map<String, Map<String, String>> receivers)
            throws Exception {
        List<Map<String, String>> body = new ArrayList<>();
        receivers.forEach((foreignId, receiver) -> {
            Map<String, String> withId = new LinkedHashMap<>(receiver);
            withId.put("foreignId", foreignId);
            body.add(withId);
        });
        PushcoreClient.Reply reply = api.post("/v1/bucket/" + bucketId + "/context/" + contextId + "/send",
                Map.of("receivers", body));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        JsonNode results = reply.body().path("results");
        assertThat(results).hasSize(receivers.size());
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, List<String>> errors = new LinkedHashMap<>();
        int i = 0;
        for (String foreignId : receivers.keySet()) {
            JsonNode result = results.get(i++);
            ids.put(foreignId, result.path("messageId").asText());
            List<String> texts = new ArrayList<>();
            result.path("errors").forEach(e -> texts.add(e.asText()));
            errors.put(foreignId, texts);
        }
        return new Sent(ids, errors);
    }

    private static ReceivedPush decrypted(Subscriber subscriber) {
        ReceivedPush push = pushService.received(subscriber).getFirst();
        assertThat(push.decrypted()).as(push.decryptionProblem()).isTrue();
        return push;
    }

    /** FCM's duration text, e.g. {@code "3599s"} or {@code "3599.5s"}, in whole seconds. */
    private static long seconds(String duration) {
        assertThat(duration).endsWith("s");
        return (long) Double.parseDouble(duration.substring(0, duration.length() - 1));
    }

    /** What the JS service worker posts: no API key, the body as text, cross-origin, no timestamp. */
    private static int serviceWorkerEvent(String contextId, String kind, String messageId, String foreignId,
            String action) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("contextId", contextId);
        body.put("messageId", messageId);
        body.put("foreignId", foreignId);
        if (action != null) {
            body.put("action", action);
        }
        return clientEvent(contextId, kind, "text/plain", "https://shop.example", body);
    }

    /**
     * What CORE's Android SDK posts (HttpApiClient): JSON {@code ts, messageId, contextId, foreignId} (null when
     * the push had none) plus {@code action} on a click, {@code ts} in UTC with milliseconds.
     */
    private static int androidEvent(String contextId, String kind, String messageId, String foreignId, String action,
            Instant ts) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("ts", ANDROID_TS.format(ts));
        body.put("messageId", messageId);
        body.put("contextId", contextId);
        body.put("foreignId", foreignId);
        if (action != null) {
            body.put("action", action);
        }
        return clientEvent(contextId, kind, "application/json", null, body);
    }

    /**
     * What CORE's iOS SDK posts (EventService): JSON with lower-case ids, {@code foreignId} (null when the push had
     * none), {@code action} on a click ({@code default} for the body), {@code ts} ISO-8601 in whole seconds.
     */
    private static int iosEvent(String contextId, String kind, String messageId, String foreignId, String action,
            Instant ts) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("contextId", contextId.toLowerCase(Locale.ROOT));
        body.put("messageId", messageId.toLowerCase(Locale.ROOT));
        body.put("foreignId", foreignId);
        if (action != null) {
            body.put("action", action);
        }
        body.put("ts", DateTimeFormatter.ISO_INSTANT.format(ts.truncatedTo(ChronoUnit.SECONDS)));
        return clientEvent(contextId.toLowerCase(Locale.ROOT), kind, "application/json", null, body);
    }

    /** POSTs a client event as a device does: no API key. Returns the status. */
    private static int clientEvent(String contextId, String kind, String contentType, String origin,
            Map<String, String> body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoints.baseUri().resolve("/v1/context/" + contextId
                + "/events/" + kind)).timeout(Duration.ofSeconds(30)).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(PushcoreClient.JSON.writeValueAsBytes(body)));
        if (origin != null) {
            request.header("origin", origin);
        }
        return DEVICE.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
