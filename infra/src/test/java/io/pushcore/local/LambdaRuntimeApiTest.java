package io.pushcore.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Runtime API over real HTTP, with a runtime played by the test: deadlines, timeouts, answers per instance. */
class LambdaRuntimeApiTest {

    private static final Duration FUNCTION_TIMEOUT = Duration.ofMillis(700);

    private final HttpClient http = HttpClient.newHttpClient();
    private final LambdaRuntimeApi api = new LambdaRuntimeApi("send-function", "us-east-1", FUNCTION_TIMEOUT);
    private final LinkedBlockingQueue<String> timedOut = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        api.close();
        http.shutdownNow();
    }

    private HttpResponse<byte[]> next(LambdaRuntimeApi.Endpoint endpoint) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(endpoint) + "next")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> answer(LambdaRuntimeApi.Endpoint endpoint, String id, String verb, String body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(endpoint) + id + "/" + verb))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String base(LambdaRuntimeApi.Endpoint endpoint) {
        return "http://" + endpoint.address() + LambdaRuntimeApi.PREFIX + "invocation/";
    }

    private static String requestId(HttpResponse<?> next) {
        return next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
    }

    @Test
    void aPollLeftOpenByAReplacedProcessHandsItsInvocationToTheNewProcess() throws Exception {
        LambdaRuntimeApi.Endpoint endpoint = api.endpoint("send-function#1", t -> timedOut.add(t.requestId()));
        // the old process's poll waits for work; then a redeploy replaces the process behind the endpoint
        CompletableFuture<HttpResponse<byte[]>> stale = http.sendAsync(
                HttpRequest.newBuilder(URI.create(base(endpoint) + "next")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(endpoint.awaitPoll(Duration.ofSeconds(10))).isTrue();
        endpoint.replaceProcess();
        assertThat(endpoint.awaitPoll(Duration.ofMillis(200))).as("the new process has not polled yet").isFalse();

        // the stale poll takes the invocation, puts it back and answers its poller with an error
        CompletableFuture<byte[]> result = api.invoke("{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(30));
        HttpResponse<byte[]> refused = stale.get(10, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(refused.headers().firstValue("Lambda-Runtime-Aws-Request-Id")).isEmpty();
        HttpResponse<byte[]> next = next(endpoint);

        assertThat(endpoint.awaitPoll(Duration.ofSeconds(1))).isTrue();
        assertThat(new String(next.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertThat(answer(endpoint, requestId(next), "response", "{\"ok\":true}").statusCode()).isEqualTo(202);
        assertThat(new String(result.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
    }

    @Test
    void failsAnInvocationThatRunsPastItsDeadlineAsLambdaDoesAndRefusesItsLateAnswer() throws Exception {
        LambdaRuntimeApi.Endpoint endpoint = api.endpoint("send-function#1", t -> timedOut.add(t.requestId()));
        CompletableFuture<byte[]> result = api.invoke("{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));

        long before = System.currentTimeMillis();
        HttpResponse<byte[]> next = next(endpoint);
        long after = System.currentTimeMillis();
        String id = requestId(next);
        long deadline = Long.parseLong(next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
        // the runtime takes it and never answers
        assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LambdaRuntimeApi.FunctionError.class)
                .hasMessageStartingWith("Sandbox.Timedout: {\"errorMessage\":\"RequestId: " + id
                        + " Error: Task timed out after 0.70 seconds\",\"errorType\":\"Sandbox.Timedout\"}");
        long failedAt = System.currentTimeMillis();

        assertThat(deadline).isBetween(before + FUNCTION_TIMEOUT.toMillis(), after + FUNCTION_TIMEOUT.toMillis());
        assertThat(failedAt).isGreaterThanOrEqualTo(before + FUNCTION_TIMEOUT.toMillis());
        assertThat(timedOut.poll(10, TimeUnit.SECONDS)).isEqualTo(id);
        HttpResponse<String> late = answer(endpoint, id, "response", "{\"statusCode\":200}");
        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(late.body()).contains("InvalidRequestID");
        assertThat(answer(endpoint, id, "error", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void anAnswerInTimeCompletesTheInvocationAndNobodyIsTimedOut() throws Exception {
        LambdaRuntimeApi.Endpoint endpoint = api.endpoint("send-function#1", t -> timedOut.add(t.requestId()));
        CompletableFuture<byte[]> result = api.invoke("{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));

        String id = requestId(next(endpoint));
        assertThat(answer(endpoint, id, "response", "{\"ok\":true}").statusCode()).isEqualTo(202);

        assertThat(result.get(10, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("{\"ok\":true}");
        Thread.sleep(FUNCTION_TIMEOUT.toMillis() * 2);
        assertThat(timedOut).isEmpty();
        assertThat(answer(endpoint, id, "response", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void onlyTheInstanceThatTookAnInvocationMayAnswerIt() throws Exception {
        LambdaRuntimeApi.Endpoint first = api.endpoint("send-function#1", t -> timedOut.add("first " + t.requestId()));
        LambdaRuntimeApi.Endpoint second = api.endpoint("send-function#2", t -> timedOut.add("second " + t.requestId()));
        CompletableFuture<byte[]> result = api.invoke("{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));

        String id = requestId(next(first));

        assertThat(first.address()).isNotEqualTo(second.address());
        assertThat(answer(second, id, "response", "{}").statusCode()).isEqualTo(400);
        assertThat(timedOut.poll(10, TimeUnit.SECONDS)).isEqualTo("first " + id);
        assertThat(result).isCompletedExceptionally();
    }

    @Test
    void theCallersOwnTimeoutLeavesTheInvocationWithTheInstanceUntilItAnswers() throws Exception {
        try (LambdaRuntimeApi slow = new LambdaRuntimeApi("send-function", "us-east-1", Duration.ofSeconds(30))) {
            LambdaRuntimeApi.Endpoint endpoint = slow.endpoint("send-function", t -> timedOut.add(t.requestId()));
            CompletableFuture<byte[]> result = slow.invoke("{}".getBytes(StandardCharsets.UTF_8),
                    Duration.ofMillis(200));
            String id = requestId(next(endpoint));

            assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            // like API Gateway's 29 s: the caller gave up, the function still runs and may finish
            assertThat(answer(endpoint, id, "response", "{}").statusCode()).isEqualTo(202);
            assertThat(timedOut).isEmpty();
        }
    }
}
