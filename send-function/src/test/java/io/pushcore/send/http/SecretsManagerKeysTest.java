package io.pushcore.send.http;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pushcore.config.SecretsConfigSourceFactory;
import io.pushcore.send.support.InProcessAws;
import io.pushcore.testing.aws.FakeSecretsManager;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * send-function started the way the template starts it: its keys named in {@code pushcore.secrets} and read from
 * Secrets Manager (a loopback stand-in) at start-up, over what {@code application.properties} says.
 */
@QuarkusTest
@TestProfile(SecretsManagerKeysTest.KeysInSecretsManager.class)
class SecretsManagerKeysTest {

    static final String ADMIN_KEY = "admin-key-from-secrets-manager";
    static final String TENANT_KEY = "tenant-key-from-secrets-manager";

    public static class KeysInSecretsManager extends InProcessAws {
        @Override
        public List<TestResourceEntry> testResources() {
            List<TestResourceEntry> resources = new java.util.ArrayList<>(super.testResources());
            resources.add(new TestResourceEntry(SecretsManagerResource.class));
            return resources;
        }
    }

    /** The stand-in, holding one JSON secret with the admin key's hash and the API keys. */
    public static class SecretsManagerResource implements QuarkusTestResourceLifecycleManager {
        FakeSecretsManager secretsManager;

        @Override
        public Map<String, String> start() {
            try {
                secretsManager = new FakeSecretsManager();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            secretsManager.put("pushcore/send", "{\"adminKeyHash\":\"" + sha256(ADMIN_KEY) + "\",\"apiKeys\":\"vault:"
                    + sha256(TENANT_KEY) + "\"}");
            return Map.of(SecretsConfigSourceFactory.SECRETS,
                    "send.auth.admin-key=pushcore/send#adminKeyHash,send.auth.api-keys=pushcore/send#apiKeys",
                    SecretsConfigSourceFactory.ENDPOINT, secretsManager.endpoint());
        }

        @Override
        public void stop() {
            secretsManager.close();
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theKeysInTheSecretAreTheOnesThatWork() {
        given().header("authorization", "Bearer " + ADMIN_KEY).get("/v1/admin/tenant/vault/tokens").then()
                .statusCode(200);
        given().header("authorization", "Bearer pushcore-dev-admin-key").get("/v1/admin/tenant/vault/tokens")
                .then().statusCode(401);

        given().header("x-token", TENANT_KEY).contentType(ContentType.JSON)
                .body(SendApiTest.bucketRequest(SendApiTest.vapidCredential())).post("/v1/bucket").then()
                .statusCode(200);
        given().header("x-token", "pushcore-dev-key").contentType(ContentType.JSON)
                .body(SendApiTest.bucketRequest(SendApiTest.vapidCredential())).post("/v1/bucket").then()
                .statusCode(401);
    }
}
