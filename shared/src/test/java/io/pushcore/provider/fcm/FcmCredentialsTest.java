package io.pushcore.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pushcore.model.DataContent;
import io.pushcore.testing.fcm.FakeFcmServer;

class FcmCredentialsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeFcmServer fcm;
    private static String localJson;

    @BeforeAll
    static void start() {
        fcm = FakeFcmServer.start();
        localJson = fcm.serviceAccountJson("demo-project");
    }

    @AfterAll
    static void stop() {
        fcm.close();
    }

    private static String googleJson(String field, Object value) throws Exception {
        ObjectNode n = (ObjectNode) JSON.readTree(localJson);
        n.put("token_uri", "https://oauth2.googleapis.com/token");
        if (value == null) {
            n.remove(field);
        } else {
            n.put(field, value.toString());
        }
        return JSON.writeValueAsString(n);
    }

    @Test
    void parsesAGoogleServiceAccountAsIs() throws Exception {
        FcmCredentials c = FcmCredentials.parse(googleJson("client_id", "42"));

        assertThat(c.projectId()).isEqualTo("demo-project");
        assertThat(c.clientEmail()).isEqualTo("firebase-adminsdk@demo-project.iam.gserviceaccount.com");
        assertThat(c.toString()).doesNotContain("PRIVATE KEY").contains("demo-project");
    }

    @Test
    void namesTheMissingOrBrokenField() throws Exception {
        assertThatThrownBy(() -> FcmCredentials.parse(googleJson("type", "authorized_user")))
                .hasMessageStartingWith("type: must be service_account");
        assertThatThrownBy(() -> FcmCredentials.parse(googleJson("project_id", null)))
                .hasMessage("project_id: is required");
        assertThatThrownBy(() -> FcmCredentials.parse(googleJson("client_email", null)))
                .hasMessage("client_email: is required");
        assertThatThrownBy(() -> FcmCredentials.parse(googleJson("private_key", "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----\n"))).hasMessage("private_key: is not a PKCS#8 RSA private key");
        assertThatThrownBy(() -> FcmCredentials.parse(googleJson("token_uri", null)))
                .hasMessage("token_uri: is required");
        assertThatThrownBy(() -> FcmCredentials.parse("[1]")).hasMessageStartingWith("payload: ");
        assertThatThrownBy(() -> FcmCredentials.parse(null)).hasMessageStartingWith("payload: ");
    }

    @Test
    void rejectsAnEcKeyAsPrivateKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        String ec = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";

        assertThatThrownBy(() -> FcmCredentials.parse(googleJson("private_key", ec)))
                .hasMessage("private_key: is not a PKCS#8 RSA private key");
    }

    @Test
    void refusesTokenUriOutsideGoogleUnlessThePolicyAllowsIt() {
        assertThatThrownBy(() -> FcmCredentials.parse(localJson))
                .hasMessage("token_uri: must be Google's OAuth token endpoint");
        assertThat(FcmCredentials.parse(localJson, uri -> true).tokenUri().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void checksThatContentFitsFcmAtContextCreation() {
        assertThatThrownBy(() -> FcmPayload.checkFits(new DataContent("t", "x".repeat(4000), null, null, null, null,
                null, null, null, null, null, null, null, null)))
                .hasMessageStartingWith("payload: the FCM data would be ");
        assertThatCode(() -> FcmPayload.checkFits(new DataContent("t", "x".repeat(3500), null, null, null, null,
                null, null, null, null, null, null, null, null))).doesNotThrowAnyException();
    }
}
