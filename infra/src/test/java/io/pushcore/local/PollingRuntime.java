package io.pushcore.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/** A Lambda runtime in a thread: polls the Runtime API like Quarkus' poll loop and answers with {@code handler}. */
final class PollingRuntime implements AutoCloseable {

    /** Thrown by a handler to report an invocation error instead of a response. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    record Invocation(JsonNode event, Map<String, java.util.List<String>> headers) {
    }

    PollingRuntime(String runtimeApi, Function<Invocation, String> handler) {
        String base = "http://" + runtimeApi + "/2018-06-01/runtime/invocation/";
        thread = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                try {
                    HttpResponse<byte[]> next = client.send(HttpRequest.newBuilder(URI.create(base + "next")).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                    String verb = "response";
                    String body;
                    try {
                        body = handler.apply(new Invocation(HttpApiEvents.JSON.readTree(next.body()),
                                next.headers().map()));
                    } catch (Failure e) {
                        verb = "error";
                        body = "{\"errorMessage\":\"" + e.getMessage() + "\",\"errorType\":\"Failure\"}";
                    }
                    client.send(HttpRequest.newBuilder(URI.create(base + id + "/" + verb))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (!running.get()) {
                        return;
                    }
                }
            }
        });
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        client.shutdownNow();
    }
}
