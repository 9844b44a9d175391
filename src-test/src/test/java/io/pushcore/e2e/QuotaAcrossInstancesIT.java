package io.pushcore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pushcore.e2e.support.PushcoreClient;
import io.pushcore.local.LocalRunner;
import io.pushcore.testing.webpush.FakeWebPushServer;

/**
 * A token's quota holds across two send-function instances on the packaged functions (the local system with two
 * processes polling the same Runtime API, as Lambda runs two execution environments): of 12 sends made one after
 * another, served by both instances, exactly the quota's 5 are answered and the rest get 429 with Retry-After, while
 * another tenant's key is not limited.
 */
class QuotaAcrossInstancesIT {

    static final String ADMIN_KEY = "pushcore-dev-admin-key";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void onlyLocally() {
        assumeTrue(System.getProperty("pushcore.e2e.base-url", "").isBlank(), "starts its own local functions");
    }

    @Test
    void aQuotaHoldsAcrossTwoInstancesAndOnlyForItsToken() throws Exception {
        LocalRunner.Settings defaults = LocalRunner.Settings.defaults(Path.of("..").toAbsolutePath().normalize());
        LocalRunner.Settings settings = new LocalRunner.Settings(defaults.root(), 0, defaults.scheduleInterval(), 2,
                defaults.jvmOptions(), Map.of(), defaults.startTimeout(),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        try (LocalRunner runner = LocalRunner.start(settings)) {
            URI base = URI.create("http://127.0.0.1:" + runner.apiPort());
            PushcoreClient admin = new PushcoreClient(base, ADMIN_KEY);
            PushcoreClient.Reply added = admin.post("/v1/admin/token", Map.of("tenant", "metered"));
            assertThat(added.status()).as(added.body().toString()).isEqualTo(201);
            String key = added.body().path("token").asText();
            PushcoreClient.Reply limited = admin.post("/v1/admin/token/rate-limit", Map.of("apiToken",
                    added.body().path("tokenId").asText(), "useCaseName", "send_requests", "quota", 5,
                    "interval", 600_000));
            assertThat(limited.status()).as(limited.body().toString()).isEqualTo(200);

            PushcoreClient metered = new PushcoreClient(base, key);
            FakeWebPushServer.VapidKeyStrings vapid = FakeWebPushServer.newVapidKeys();
            PushcoreClient.Reply bucket = metered.post("/v1/bucket", Map.of("providerCredentials", List.of(Map.of(
                    "type", "vapid", "payload", Map.of("publicKey", vapid.publicKey(), "privateKey",
                            vapid.privateKey()))), "callbackConfig", Map.of("type", "none")));
            assertThat(bucket.status()).as(bucket.body().toString()).isEqualTo(200);
            String bucketId = bucket.body().path("bucketId").asText();
            String credentialId = bucket.body().path("credentials").get(0).path("id").asText();
            String send = "/v1/bucket/" + bucketId + "/send/silent";
            // one receiver whose endpoint the service refuses: a whole send request, no push service needed
            String body = PushcoreClient.JSON.writeValueAsString(Map.of("receiver", Map.of("credentialId",
                    credentialId, "endpoint", "ftp://nowhere.example/x", "p256dh", "x", "auth", "y"),
                    "metadata", Map.of("externalData", "q")));

            List<Integer> statuses = new ArrayList<>();
            List<String> retryAfter = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve(send))
                        .header("authorization", "Bearer " + key).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                statuses.add(response.statusCode());
                response.headers().firstValue("retry-after").ifPresent(retryAfter::add);
            }

            assertThat(statuses.stream().filter(s -> s == 200).count()).as(statuses.toString()).isEqualTo(5);
            assertThat(statuses.stream().filter(s -> s == 429).count()).as(statuses.toString()).isEqualTo(7);
            assertThat(retryAfter).hasSize(7).allSatisfy(seconds -> assertThat(Long.parseLong(seconds))
                    .isBetween(1L, 600L));
            assertThat(servedBy()).as("the sends were served by both instances").hasSize(2);

            // the development key has no quota: unaffected
            PushcoreClient dev = new PushcoreClient(base, LocalRunner.DEV_API_KEY);
            assertThat(dev.get("/").status()).isEqualTo(200);
            PushcoreClient.Reply devBucket = dev.post("/v1/bucket", Map.of("providerCredentials", List.of(Map.of(
                    "type", "vapid", "payload", Map.of("publicKey", vapid.publicKey(), "privateKey",
                            vapid.privateKey()))), "callbackConfig", Map.of("type", "none")));
            assertThat(devBucket.status()).isEqualTo(200);
        }
    }

    /** The send-function instances that logged a send's summary line. */
    private TreeSet<String> servedBy() {
        TreeSet<String> instances = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\[(send-function#\\d)\\].*send: 1 receiver")
                .matcher(console.toString(StandardCharsets.UTF_8));
        while (matcher.find()) {
            instances.add(matcher.group(1));
        }
        return instances;
    }
}
