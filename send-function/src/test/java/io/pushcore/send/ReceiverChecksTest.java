package io.pushcore.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pushcore.model.DeviceToken;
import io.pushcore.model.Event;
import io.pushcore.model.Push;
import io.pushcore.model.SilentContent;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.apns.ApnsPayload;
import io.pushcore.send.credential.Credential;
import io.pushcore.send.dispatch.GroupSenders;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.ProviderFakes;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link MessageDispatcher#resolve} says what a receiver is as a value: a job for a sender, or a refusal carrying
 * its error code and the exact wire string; a bad receiver is never an exception.
 */
@QuarkusTest
@TestProfile(InProcessAws.class)
class ReceiverChecksTest {

    private static final Credential.FcmLegacy LEGACY = new Credential.FcmLegacy(UUID.randomUUID());
    private static final Credential.Unusable UNUSABLE = new Credential.Unusable(UUID.randomUUID(), "apns_token",
            "the key does not parse", "{}");

    @Inject
    MessageDispatcher dispatcher;

    private final Credential.Apns apnsCredential = new Credential.Apns(UUID.randomUUID(),
            ProviderFakes.apns().tokenCredentials(ProviderFakes.APP_BUNDLE_ID, null), "{}");
    private final Bucket bucket = new Bucket(UUID.randomUUID(), "tenant", Instant.now(), Instant.now().plusSeconds(60),
            List.of(apnsCredential, LEGACY, UNUSABLE));
    private final Push push = new Push(UUID.randomUUID(), UUID.randomUUID(), null, new SilentContent("x"),
            Instant.now().plusSeconds(60));

    private MessageDispatcher.Checked check(String credentialId, String foreignId, String endpoint, String token,
            String type) {
        return dispatcher.resolve(bucket, new ReceiverInput("receivers[2]", credentialId, foreignId, endpoint, null,
                null, token, type), push);
    }

    private static MessageDispatcher.Checked refused(ErrorCode code, String message) {
        return new MessageDispatcher.Checked.Refused(code, message);
    }

    @Test
    void refusesAReceiverWithoutOrWithAnUnknownCredential() {
        assertThat(check(" ", null, null, "t", null)).isEqualTo(refused(ErrorCode.UNKNOWN_CREDENTIAL,
                "UNKNOWN_CREDENTIAL: receivers[2].credentialId: is required"));
        assertThat(check("nope", null, null, "t", null)).isEqualTo(refused(ErrorCode.UNKNOWN_CREDENTIAL,
                "UNKNOWN_CREDENTIAL: receivers[2].credentialId: is not a credential of bucket " + bucket.id()));
    }

    @Test
    void refusesAForeignIdOverTheLimit() {
        int limit = Event.MAX_FOREIGN_ID_LENGTH;
        assertThat(check(apnsCredential.id().toString(), "x".repeat(limit + 1), null, "t", null)).isEqualTo(refused(
                ErrorCode.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE: receivers[2].foreignId: is longer than " + limit
                        + " characters"));
    }

    @Test
    void refusesCredentialsThatCannotSend() {
        assertThat(check(LEGACY.id().toString(), null, null, "t", null)).isEqualTo(refused(
                ErrorCode.CREDENTIAL_REJECTED, "CREDENTIAL_REJECTED: receivers[2].credentialId: an fcm_legacy "
                        + "credential cannot send: Google shut the legacy FCM HTTP API down in 2024; create the "
                        + "bucket with an fcm_v1 credential (the project's service-account JSON)"));
        assertThat(check(UNUSABLE.id().toString(), null, null, "t", null)).isEqualTo(refused(
                ErrorCode.CREDENTIAL_REJECTED, "CREDENTIAL_REJECTED: receivers[2].credentialId: the stored apns_token "
                        + "credential is no longer usable: the key does not parse"));
    }

    @Test
    void refusesDeviceTokenReceiversWithWebPushFieldsNoTokenOrAnotherPlatform() {
        String apns = apnsCredential.id().toString();
        assertThat(check(apns, null, "https://push.example/x", "t", null)).isEqualTo(refused(ErrorCode.INVALID_TOKEN,
                "INVALID_TOKEN: receivers[2].endpoint: an apns_token credential takes a device token, not web push "
                        + "subscription fields"));
        assertThat(check(apns, null, null, " ", null)).isEqualTo(refused(ErrorCode.INVALID_TOKEN,
                "INVALID_TOKEN: receivers[2].token: is required for an apns_token credential"));
        assertThat(check(apns, null, null, "t", "fcm/android")).isEqualTo(refused(ErrorCode.INVALID_TOKEN,
                "INVALID_TOKEN: receivers[2].type: fcm/android receivers cannot use an apns_token credential"));
    }

    @Test
    void matchesAGoodReceiverWithItsCredentialsGroupSender() {
        assertThat(check(apnsCredential.id().toString(), null, null, " abc ", "apns/safari"))
                .isInstanceOfSatisfying(MessageDispatcher.Checked.Grouped.class, grouped -> {
                    assertThat(grouped.sender().name()).isEqualTo(GroupSenders.APNS);
                    assertThat(grouped.credential()).isEqualTo(apnsCredential);
                    assertThat(grouped.item()).isEqualTo(new GroupSenders.ApnsNotification(push,
                            new DeviceToken("abc"), ApnsPayload.Target.SAFARI));
                });
        assertThat(check(apnsCredential.id().toString(), null, null, "abc", "some/future-type"))
                .isInstanceOfSatisfying(MessageDispatcher.Checked.Grouped.class, grouped -> assertThat(
                        ((GroupSenders.ApnsNotification) grouped.item()).target()).isNull());
    }
}
