package io.pushcore.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Opt-in: CORE's JS server SDK itself, unchanged, through the gateway. It is not on the npm registry, so point
 * {@code -Dcore.sdk.dir} at a checkout of ppgco/ppg-core-js-sdk (its built {@code dist/} is run as it is); the test
 * installs node-fetch from npm beside a copy of it, then makes 100 {@code createBucket} calls in a row. The default
 * node-fetch is 2.6.9, the version the SDK's yarn.lock pins: up to 2.6.12 node-fetch sends {@code Connection: close}
 * (2.6.13 stopped), which is what broke on Node 20 ({@code -Dcore.sdk.node-fetch=2.7.0} tries the newest).
 */
@EnabledIfSystemProperty(named = "core.sdk.dir", matches = ".+",
        disabledReason = "opt-in: -Dcore.sdk.dir=<checkout of ppgco/ppg-core-js-sdk> runs CORE's JS SDK")
class CoreJsSdkTest {

    @Test
    void coresJsSdkMakesAHundredCallsInARowThroughTheGateway(@TempDir Path dir) throws Exception {
        assumeTrue(NodeClient.version() != null, "no `node` on the PATH");
        Path sdk = Path.of(System.getProperty("core.sdk.dir"), "dist");
        copy(sdk, dir.resolve("sdk/dist"));
        Files.writeString(dir.resolve("package.json"), "{\"type\":\"module\",\"private\":true}");
        run(dir, "npm", "install", "--no-save", "--no-audit", "--no-fund",
                "node-fetch@" + System.getProperty("core.sdk.node-fetch", "2.6.9"));

        try (LambdaRuntimeApi send = new LambdaRuntimeApi("send-function", "us-east-1", LambdaFunction.SEND.timeout());
                HttpApiGateway gateway = new HttpApiGateway(0, Map.of(LambdaFunction.SEND, send), Duration.ofSeconds(10));
                PollingRuntime function = new PollingRuntime(send.endpoint("runtime", timedOut -> {
                }).address(), invocation -> "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\"},"
                        + "\"body\":\"{\\\"bucketId\\\":\\\"" + invocation.event().path("requestContext")
                                .path("requestId").asText()
                        + "\\\",\\\"credentials\\\":[{\\\"id\\\":\\\"c1\\\",\\\"type\\\":\\\"vapid\\\"}]}\"}")) {

            JsonNode result = HttpApiEvents.JSON.readTree(run(dir, "node",
                    Path.of(NodeClient.class.getResource("core-sdk-client.mjs").toURI()).toString(),
                    dir.resolve("sdk/dist/server/client/index.js").toString(), gateway.baseUri() + "/v1", "key", "100"));

            assertThat(result.path("failures")).isEmpty();
            assertThat(result.path("ok").asInt()).isEqualTo(100);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return out;
    }
}
