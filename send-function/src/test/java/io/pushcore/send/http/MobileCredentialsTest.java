package io.pushcore.send.http;

import static io.pushcore.send.http.SendApiTest.api;
import static io.pushcore.send.http.SendApiTest.bucketRequest;
import static io.pushcore.send.http.SendApiTest.vapidCredential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pushcore.send.support.InProcessAws;
import io.pushcore.send.support.MobileCredentials;
import io.pushcore.send.support.ProviderFakes;
import io.pushcore.testing.apns.FakeApnsServer;
import io.pushcore.testing.apns.TestPki;
import io.pushcore.testing.aws.InjectLocalAws;
import io.pushcore.testing.aws.LocalAws;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** Bucket creation with fcm_v1, apns_token and apns_cert credentials: validated now, sealed at rest. */
@QuarkusTest
@TestProfile(InProcessAws.class)
class MobileCredentialsTest {

    @InjectLocalAws
    LocalAws aws;

    @Test
    void createsBucketsWithEveryCredentialTypeInRequestOrder() {
        FakeApnsServer.ClientIdentity client = ProviderFakes.apns().issueClientCertificate(ProviderFakes.APP_BUNDLE_ID,
                Instant.now().plusSeconds(86_400));
        Map<String, Object> p12 = Map.of("type", "apns_cert", "payload", Map.of("p12",
                TestPki.p12Base64(client.certificate(), client.key(), "s3cret"), "passphrase", "s3cret",
                "production", "false"));
        Map<String, Object> pem = Map.of("type", "apns_cert", "payload", Map.of("cert",
                TestPki.pem(client.certificate()), "key", TestPki.pem(client.key()), "production", true));
        Map<String, Object> fcmAsString = Map.of("type", "fcm_v1", "payload",
                ProviderFakes.fcm().serviceAccountJson("as-string"));

        JsonPath reply = api().body(bucketRequest(MobileCredentials.fcm("demo"), vapidCredential(),
                MobileCredentials.apnsToken(), p12, pem, fcmAsString)).post("/v1/bucket").then().statusCode(200)
                .extract().jsonPath();

        assertThat(reply.getList("credentials.type")).containsExactly("fcm_v1", "vapid", "apns_token", "apns_cert",
                "apns_cert", "fcm_v1");
        assertThat(reply.getList("credentials.id")).doesNotHaveDuplicates();
    }

    @Test
    void keepsMobileCredentialsSealedAtRest() {
        Map<String, Object> account = MobileCredentials.serviceAccount("sealed");
        String p8 = ProviderFakes.apns().signingKeyPem();
        FakeApnsServer.ClientIdentity client = ProviderFakes.apns().issueClientCertificate(ProviderFakes.APP_BUNDLE_ID,
                Instant.now().plusSeconds(86_400));
        String p12 = TestPki.p12Base64(client.certificate(), client.key(), "pass-phrase-secret");
        String bucketId = api().body(bucketRequest(Map.of("type", "fcm_v1", "payload", account),
                MobileCredentials.apnsToken(p8), Map.of("type", "apns_cert", "payload",
                        Map.of("p12", p12, "passphrase", "pass-phrase-secret", "production", false))))
                .post("/v1/bucket").then().statusCode(200).extract().path("bucketId");

        String stored = aws.s3().getObjectAsBytes(b -> b.bucket("pushcore-state").key("buckets/" + bucketId + ".json"))
                .asUtf8String();
        String rsaKeyLine = ((String) account.get("private_key")).split("\n")[1];
        assertThat(stored).contains("\"type\":\"fcm_v1\"", "\"type\":\"apns_token\"", "\"type\":\"apns_cert\"")
                .doesNotContain(rsaKeyLine, (String) account.get("client_email"), p8.split("\n")[1],
                        p12.substring(0, 40), "pass-phrase-secret", FakeApnsServer.TEAM_ID);
    }

    @Test
    void refusesBrokenServiceAccountsNamingTheJsonField() {
        Map<String, Object> noProject = MobileCredentials.serviceAccount("p");
        noProject.remove("project_id");
        Map<String, Object> badKey = MobileCredentials.serviceAccount("p");
        badKey.put("private_key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Map<String, Object> notServiceAccount = MobileCredentials.serviceAccount("p");
        notServiceAccount.put("type", "authorized_user");
        Map<String, Object> badEmail = MobileCredentials.serviceAccount("p");
        badEmail.put("client_email", "nobody");

        String reply = api().body(bucketRequest(vapidCredential(),
                Map.of("type", "fcm_v1", "payload", noProject),
                Map.of("type", "fcm_v1", "payload", badKey),
                Map.of("type", "fcm_v1", "payload", notServiceAccount),
                Map.of("type", "fcm_v1", "payload", badEmail),
                Map.of("type", "fcm_v1", "payload", 42),
                Map.of("type", "fcm_v1", "payload", "{not json")))
                .post("/v1/bucket").then().statusCode(400)
                .body("message", equalTo("invalid bucket"))
                .body("errors", hasSize(6))
                .body("errors", hasItem("providerCredentials[1].payload.project_id: is required"))
                .body("errors", hasItem(startsWith("providerCredentials[2].payload.private_key: ")))
                .body("errors", hasItem(startsWith("providerCredentials[3].payload.type: ")))
                .body("errors", hasItem(startsWith("providerCredentials[4].payload.client_email: ")))
                .body("errors", hasItem(startsWith("providerCredentials[5].payload: ")))
                .body("errors", hasItem(startsWith("providerCredentials[6].payload: ")))
                .extract().asString();
        assertThat(reply).doesNotContain(((String) badEmail.get("private_key")).split("\n")[1]);
    }

    @Test
    void refusesBrokenApnsTokenCredentialsNamingTheField() {
        String p8 = ProviderFakes.apns().signingKeyPem();
        Map<String, Object> badTeam = MobileCredentials.apnsTokenPayload(p8);
        badTeam.put("teamId", "team");
        Map<String, Object> noKeyId = MobileCredentials.apnsTokenPayload(p8);
        noKeyId.remove("keyId");
        Map<String, Object> garbageKey = MobileCredentials.apnsTokenPayload("-----BEGIN PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----\n");
        Map<String, Object> rsaKey = MobileCredentials.apnsTokenPayload(TestPki.pem(TestPki.rsa2048().getPrivate()));
        Map<String, Object> noTopic = MobileCredentials.apnsTokenPayload(p8);
        noTopic.remove("appBundleId");
        noTopic.remove("websitePushId");
        Map<String, Object> badWebsite = MobileCredentials.apnsTokenPayload(p8);
        badWebsite.put("websitePushId", "com.example.site");
        Map<String, Object> badProduction = MobileCredentials.apnsTokenPayload(p8);
        badProduction.put("production", "maybe");

        String reply = api().body(bucketRequest(Map.of("type", "apns_token", "payload", badTeam),
                Map.of("type", "apns_token", "payload", noKeyId),
                Map.of("type", "apns_token", "payload", garbageKey),
                Map.of("type", "apns_token", "payload", rsaKey),
                Map.of("type", "apns_token", "payload", noTopic),
                Map.of("type", "apns_token", "payload", badWebsite),
                Map.of("type", "apns_token", "payload", badProduction),
                Map.of("type", "apns_token", "payload", List.of("x"))))
                .post("/v1/bucket").then().statusCode(400)
                .body("errors", hasSize(8))
                .body("errors", hasItem(startsWith("providerCredentials[0].payload.teamId: ")))
                .body("errors", hasItem(startsWith("providerCredentials[1].payload.keyId: ")))
                .body("errors", hasItem(startsWith("providerCredentials[2].payload.key: ")))
                .body("errors", hasItem(startsWith("providerCredentials[3].payload.key: ")))
                .body("errors", hasItem(startsWith("providerCredentials[4].payload.appBundleId: ")))
                .body("errors", hasItem(startsWith("providerCredentials[5].payload.websitePushId: ")))
                .body("errors", hasItem(startsWith("providerCredentials[6].payload.production: ")))
                .body("errors", hasItem(startsWith("providerCredentials[7].payload: must be an object")))
                .extract().asString();
        assertThat(reply).doesNotContain(p8.split("\n")[1]);
    }

    @Test
    void refusesApnsCertificatesThatDoNotDecryptParseOrAreExpired() {
        FakeApnsServer.ClientIdentity valid = ProviderFakes.apns().issueClientCertificate(ProviderFakes.APP_BUNDLE_ID,
                Instant.now().plusSeconds(86_400));
        FakeApnsServer.ClientIdentity expired = ProviderFakes.apns().issueClientCertificate(
                ProviderFakes.APP_BUNDLE_ID, Instant.now().minusSeconds(60));
        FakeApnsServer.ClientIdentity other = ProviderFakes.apns().issueClientCertificate(ProviderFakes.APP_BUNDLE_ID,
                Instant.now().plusSeconds(86_400));

        api().body(bucketRequest(
                cert(Map.of("p12", TestPki.p12Base64(valid.certificate(), valid.key(), "right"), "passphrase",
                        "wrong")),
                cert(Map.of("p12", "%%% not base64 %%%", "passphrase", "x")),
                cert(Map.of("p12", "AAAA", "passphrase", "x")),
                cert(Map.of("p12", TestPki.p12Base64(expired.certificate(), expired.key(), "pw"), "passphrase",
                        "pw")),
                cert(Map.of("cert", TestPki.pem(valid.certificate()), "key", TestPki.pem(other.key()))),
                cert(Map.of("cert", "not a certificate", "key", TestPki.pem(valid.key()))),
                cert(Map.of("passphrase", "x"))))
                .post("/v1/bucket").then().statusCode(400)
                .body("errors", hasSize(7))
                .body("errors", hasItem("providerCredentials[0].payload.p12: cannot be decrypted with the passphrase"))
                .body("errors", hasItem("providerCredentials[1].payload.p12: is not base64"))
                .body("errors", hasItem("providerCredentials[2].payload.p12: is not a PKCS#12 file"))
                .body("errors", hasItem(startsWith("providerCredentials[3].payload.p12: the certificate expired on ")))
                .body("errors", hasItem("providerCredentials[4].payload.key: does not belong to the certificate"))
                .body("errors", hasItem(startsWith("providerCredentials[5].payload.cert: ")))
                .body("errors", hasItem(startsWith("providerCredentials[6].payload.p12: is required")));
    }

    @Test
    void acceptsHmsAndLegacyFcmInOneBucketWithTheOthers() {
        Map<String, Object> hms = MobileCredentials.hms("100200300");
        JsonPath reply = api().body(bucketRequest(vapidCredential(),
                Map.of("type", "fcm_legacy", "payload", Map.of("senderId", "1", "authorizationKey", "legacy-key")),
                hms, MobileCredentials.fcm("with-hms"))).post("/v1/bucket").then().statusCode(200)
                .extract().jsonPath();

        assertThat(reply.getList("credentials.type")).containsExactly("vapid", "fcm_legacy", "hms", "fcm_v1");
        String stored = aws.s3().getObjectAsBytes(b -> b.bucket("pushcore-state")
                .key("buckets/" + reply.getString("bucketId") + ".json")).asUtf8String();
        assertThat(stored).contains("\"type\":\"hms\"", "\"type\":\"fcm_legacy\"")
                .doesNotContain((String) ((Map<?, ?>) hms.get("payload")).get("appSecret"), "legacy-key",
                        "100200300");
    }

    @Test
    void refusesBrokenHmsCredentialsNamingTheField() {
        Map<String, Object> noSecret = new HashMap<>(ProviderFakes.hms().credential("100200301"));
        noSecret.remove("appSecret");
        Map<String, Object> badUrl = new HashMap<>(ProviderFakes.hms().credential("100200302"));
        badUrl.put("pushUrl", "ftp://push.example/v1");

        api().body(bucketRequest(Map.of("type", "hms", "payload", noSecret), Map.of("type", "hms", "payload", badUrl),
                Map.of("type", "hms", "payload", "not an object"))).post("/v1/bucket").then().statusCode(400)
                .body("errors", hasSize(3))
                .body("errors", hasItem(startsWith("providerCredentials[0].payload.appSecret: is required")))
                .body("errors", hasItem(startsWith("providerCredentials[1].payload.pushUrl: must be an absolute")))
                .body("errors", hasItem(startsWith("providerCredentials[2].payload: must be an object")));
    }

    @Test
    void refusesContextsThatDoNotFitEveryProviderOfTheBucket() {
        String apnsOnly = api().body(bucketRequest(MobileCredentials.apnsToken())).post("/v1/bucket").then()
                .statusCode(200).extract().path("bucketId");
        String all = api().body(bucketRequest(vapidCredential(), MobileCredentials.fcm("fits"),
                MobileCredentials.apnsToken())).post("/v1/bucket").then().statusCode(200).extract().path("bucketId");
        String big = "b".repeat(4100);

        api().body(Map.of("title", "big", "body", big)).post("/v1/bucket/" + apnsOnly + "/context/data").then()
                .statusCode(400).body("message", equalTo("context payload too large"))
                .body("errors", hasSize(1))
                .body("errors[0]", startsWith("context: the APNs payload would be "));
        api().body(Map.of("title", "big", "body", big)).post("/v1/bucket/" + all + "/context/data").then()
                .statusCode(400)
                .body("errors", hasSize(3))
                .body("errors", hasItem(startsWith("context: the APNs payload would be ")))
                .body("errors", hasItem(startsWith("context: the FCM data would be ")))
                .body("errors", hasItem(startsWith("context: the web push payload would be ")));
        api().body(Map.of("receiver", Map.of("credentialId", "x"), "metadata", Map.of("externalData", big)))
                .post("/v1/bucket/" + apnsOnly + "/send/silent").then().statusCode(400)
                .body("errors[0]", startsWith("metadata: the APNs payload would be "));
        api().body(Map.of("title", "small", "body", "b".repeat(3000))).post("/v1/bucket/" + apnsOnly
                + "/context/data").then().statusCode(200);
    }

    private static Map<String, Object> cert(Map<String, Object> fields) {
        Map<String, Object> payload = new HashMap<>(fields);
        payload.put("production", false);
        payload.put("appBundleId", ProviderFakes.APP_BUNDLE_ID);
        return Map.of("type", "apns_cert", "payload", payload);
    }
}
