package io.pushcore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pushcore.e2e.support.PushcoreClient;
import io.pushcore.local.LocalRunner;
import io.pushcore.testing.aws.FakeSecretsManager;
import io.pushcore.testing.webpush.FakeWebPushServer;

/**
 * The packaged functions in the production profile, as Lambda runs them, reading their secrets from Secrets Manager
 * (a loopback stand-in) at start-up the way infra/template.yaml tells them to (the runner supplies the queue and
 * bucket variables): they start and serve with every secret present, refuse to start naming the key that is missing,
 * and never print a secret.
 */
class ProductionStartupIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The template's PUSHCORE_SECRETS of all three functions together (with SecretName = pushcore): the runner gives
     * every function one environment, so each reads them all here, while on Lambda each reads only its own.
     */
    private static final String SECRETS = String.join(",",
            "send.auth.api-keys=pushcore/api-keys",
            "send.auth.admin-key=pushcore/admin-key-hash",
            "send.security.credential-keys=pushcore/credential-keys",
            "send.security.message-id-keys=pushcore/message-id-keys",
            "send.security.webhook-keys=pushcore/webhook-keys",
            "event.security.message-id-keys=pushcore/message-id-keys",
            "aggregator.security.webhook-keys=pushcore/webhook-keys");

    private FakeSecretsManager secretsManager;

    @BeforeEach
    void startSecretsManager() throws Exception {
        secretsManager = new FakeSecretsManager();
    }

    @AfterEach
    void stopSecretsManager() {
        secretsManager.close();
    }

    private final String apiKey = secret(24);
    private final String adminKey = secret(24);
    private final String credentialKey = secret(32);
    private final String messageIdKey = secret(32);
    private final String webhookKey = secret(32);
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void onlyLocally() {
        assumeTrue(System.getProperty("pushcore.e2e.base-url", "").isBlank(), "starts its own local functions");
    }

    /**
     * The template's secrets (SEND_AUTH_API_KEYS holds the key's SHA-256, as in production); each key ring is one
     * bare key, as a secret created before key rotation holds it.
     */
    private Map<String, String> productionEnvironment() throws Exception {
        secretsManager.put("pushcore/api-keys", "acme:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8))));
        secretsManager.put("pushcore/admin-key-hash", HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(adminKey.getBytes(StandardCharsets.UTF_8))));
        secretsManager.put("pushcore/credential-keys", credentialKey);
        secretsManager.put("pushcore/message-id-keys", messageIdKey);
        secretsManager.put("pushcore/webhook-keys", webhookKey);
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", "prod");
        env.put("PUSHCORE_SECRETS", SECRETS);
        env.put("PUSHCORE_SECRETS_ENDPOINT", secretsManager.endpoint());
        env.put("SEND_WEBPUSH_DEFAULT_SUBJECT", "mailto:ops@example.com");
        // s3proxy, not S3: it cannot check the SDK's payload checksums (the runner already points the endpoints at it).
        env.put("QUARKUS_S3_CHECKSUM_VALIDATION", "false");
        return env;
    }

    private LocalRunner start(Map<String, String> environment) throws Exception {
        LocalRunner.Settings defaults = LocalRunner.Settings.defaults(Path.of("..").toAbsolutePath().normalize());
        return LocalRunner.start(new LocalRunner.Settings(defaults.root(), 0, defaults.scheduleInterval(), 1,
                defaults.jvmOptions(), environment, defaults.startTimeout(),
                new PrintStream(console, true, StandardCharsets.UTF_8)));
    }

    @Test
    void startsWithTheTemplatesSecretsServesAndPrintsNone() throws Exception {
        try (LocalRunner runner = start(productionEnvironment())) {
            PushcoreClient api = new PushcoreClient(URI.create("http://127.0.0.1:" + runner.apiPort()), apiKey);
            assertThat(api.get("/").status()).isEqualTo(200);

            // Sealing the credential and the routes exercises both keys; the development key is not valid here.
            FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
            PushcoreClient.Reply bucket = api.post("/v1/bucket", Map.of("providerCredentials", List.of(Map.of(
                    "type", "vapid", "payload", Map.of("publicKey", vapid.publicKey(),
                            "privateKey", vapid.privateKey()))), "callbackConfig", Map.of("type", "none")));
            assertThat(bucket.status()).as("%s\n%s", bucket.body(), console.toString(StandardCharsets.UTF_8)).isEqualTo(200);
            PushcoreClient devKey = new PushcoreClient(URI.create("http://127.0.0.1:" + runner.apiPort()),
                    LocalRunner.DEV_API_KEY);
            assertThat(devKey.post("/v1/bucket", Map.of()).status()).isEqualTo(401);
            PushcoreClient admin = new PushcoreClient(URI.create("http://127.0.0.1:" + runner.apiPort()), adminKey);
            assertThat(admin.get("/v1/admin/tenant/acme/tokens").status()).isEqualTo(200);
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("send-function").doesNotContain(apiKey,
                    adminKey, credentialKey, messageIdKey, webhookKey, vapid.privateKey());
        }
    }

    @Test
    void refusesToStartWithoutTheCredentialKeyAndNamesIt() throws Exception {
        Map<String, String> environment = productionEnvironment();
        environment.put("PUSHCORE_SECRETS", SECRETS.replace("send.security.credential-keys=pushcore/credential-keys,",
                ""));

        assertThatThrownBy(() -> start(environment).close()).hasMessageContaining("send-function failed to start");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("send.security.credential-keys")
                .doesNotContain(apiKey, credentialKey, messageIdKey, webhookKey);
    }

    @Test
    void refusesToStartWhenASecretCannotBeReadAndNamesIt() throws Exception {
        Map<String, String> environment = productionEnvironment();
        environment.put("PUSHCORE_SECRETS", SECRETS.replace("pushcore/credential-keys", "pushcore/not-created"));

        assertThatThrownBy(() -> start(environment).close()).hasMessageContaining("send-function failed to start");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("pushcore/not-created",
                "send.security.credential-keys", "ResourceNotFoundException")
                .doesNotContain(apiKey, credentialKey, messageIdKey, webhookKey);
    }

    private static String secret(int bytes) {
        byte[] key = new byte[bytes];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
