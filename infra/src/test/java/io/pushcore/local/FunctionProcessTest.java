package io.pushcore.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class FunctionProcessTest {

    @Test
    void childProcessServesInvocationsWithPrefixedOutputAndDiesOnClose() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        CompletableFuture<Integer> exited = new CompletableFuture<>();

        try (LambdaRuntimeApi runtime = new LambdaRuntimeApi("fake-function", "us-east-1", Duration.ofSeconds(10))) {
            FunctionProcess process = startFakeFunction(runtime, "hello from the child", output, exited);

            assertThat(runtime.awaitReady(Duration.ofSeconds(60))).isTrue();
            byte[] result = runtime.invoke("{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10))
                    .get(10, TimeUnit.SECONDS);
            assertThat(HttpApiEvents.toResponse(result).body())
                    .asString(StandardCharsets.UTF_8).isEqualTo("hello from the child");

            process.close();

            assertThat(process.isAlive()).isFalse();
            exited.get(5, TimeUnit.SECONDS);
        }
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("[fake-function] fake function up as fake-function")
                .contains("[fake-function] invoked ");
    }

    @Test
    void killEndsTheProcessWithSigkillAtOnce() throws Exception {
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        try (LambdaRuntimeApi runtime = new LambdaRuntimeApi("fake-function", "us-east-1", Duration.ofSeconds(10))) {
            FunctionProcess process = startFakeFunction(runtime, "hi", new ByteArrayOutputStream(), exited);
            assertThat(runtime.awaitReady(Duration.ofSeconds(60))).isTrue();

            process.kill();

            assertThat(process.isAlive()).isFalse();
            assertThat(exited.get(5, TimeUnit.SECONDS)).isEqualTo(128 + 9);
        }
    }

    /** src/test/resources/FakeFunction.java as a child JVM polling {@code runtime}, answering {@code greeting}. */
    private static FunctionProcess startFakeFunction(LambdaRuntimeApi runtime, String greeting,
            ByteArrayOutputStream output, CompletableFuture<Integer> exited) throws Exception {
        Path source = Path.of("src/test/resources/FakeFunction.java").toAbsolutePath();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                source.toString());
        return FunctionProcess.start("fake-function", command, source.getParent(),
                Map.of("AWS_LAMBDA_RUNTIME_API", runtime.endpoint("fake-function", timedOut -> {
                }).address(), "AWS_LAMBDA_FUNCTION_NAME", "fake-function", "GREETING", greeting),
                new PrintStream(output, true, StandardCharsets.UTF_8), exited::complete);
    }
}
