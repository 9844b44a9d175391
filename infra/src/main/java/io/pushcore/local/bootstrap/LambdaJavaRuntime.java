package io.pushcore.local.bootstrap;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The managed Java runtime's job for a {@code RequestStreamHandler}: load the handler named in {@code _HANDLER}
 * ({@link LambdaHandler}), then poll {@code AWS_LAMBDA_RUNTIME_API} forever and hand each invocation to it.
 *
 * <p>With {@code AWS_LAMBDA_MAX_CONCURRENCY} set (Lambda sets it on Lambda Managed Instances, from the function's
 * {@code PerExecutionEnvironmentMaxConcurrency}) that many OS threads poll and call the one handler concurrently, as
 * the managed Java runtime does there; without it, one thread serves one invocation at a time, as on Lambda (default).
 *
 * <p>Quarkus' own Runtime API poll loop only runs in native images (and dev/test mode); a JVM-mode
 * {@code function.zip} relies on the Lambda runtime for this, so the local runner brings this stand-in. It needs
 * nothing beyond the JDK on its own class path. Locally it also serves the function's metrics ({@link MetricsEndpoint}).
 */
public final class LambdaJavaRuntime {

    private static final String API = "/2018-06-01/runtime/";

    private LambdaJavaRuntime() {
    }

    public static void main(String[] args) throws Exception {
        String base = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + API;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        LambdaHandler handler;
        try {
            handler = LambdaHandler.load(System.getenv("_HANDLER"));
        } catch (Throwable e) {
            post(client, base + "init/error", error(e), e.getClass().getName());
            e.printStackTrace();
            System.exit(1);
            return;
        }
        if (System.getenv(MetricsEndpoint.ENABLE) != null) {
            MetricsEndpoint.start();
        }
        int threads = Math.max(1, Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_MAX_CONCURRENCY", "1")));
        for (int i = 1; i < threads; i++) {
            Thread.ofPlatform().name("lambda-runtime-" + i).start(() -> serve(client, base, handler));
        }
        serve(client, base, handler);
    }

    /** One poller: takes the next invocation, runs it, answers; ends the process if the Runtime API is gone. */
    private static void serve(HttpClient client, String base, LambdaHandler handler) {
        try {
            while (true) {
                HttpResponse<byte[]> next = client.send(
                        HttpRequest.newBuilder(URI.create(base + "invocation/next")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                long deadline = next.headers().firstValue("Lambda-Runtime-Deadline-Ms").map(Long::parseLong)
                        .orElse(Long.MAX_VALUE);
                String arn = next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn").orElse("");
                String trace = next.headers().firstValue("Lambda-Runtime-Trace-Id").orElse(null);
                if (trace != null) {
                    System.setProperty("com.amazonaws.xray.traceHeader", trace);
                }
                byte[] response;
                try {
                    response = handler.invoke(next.body(), id, arn, deadline, trace);
                } catch (Throwable e) {
                    e.printStackTrace();
                    post(client, base + "invocation/" + id + "/error", error(e), e.getClass().getName());
                    continue;
                }
                post(client, base + "invocation/" + id + "/response", response, null);
            }
        } catch (Exception e) {
            System.err.println("Runtime API unreachable, stopping: " + e);
            System.exit(1);
        }
    }

    private static byte[] error(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String json = "{\"errorMessage\":" + quote(String.valueOf(e.getMessage())) + ",\"errorType\":"
                + quote(e.getClass().getName()) + ",\"stackTrace\":[" + quote(trace.toString()) + "]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    private static void post(HttpClient client, String url, byte[] body, String errorType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (errorType != null) {
            request.header("Lambda-Runtime-Function-Error-Type", errorType);
        }
        client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }
}
