package io.pushcore.testing.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * AWS Secrets Manager's {@code GetSecretValue} on loopback, as the SDK speaks it (AWS JSON 1.1: {@code POST /} with
 * {@code X-Amz-Target: secretsmanager.GetSecretValue} and {@code {"SecretId":...}}); an unknown id gets the service's
 * {@code ResourceNotFoundException}. Records which ids were asked for and whether each request was signed.
 */
public final class FakeSecretsManager implements AutoCloseable {

    public record Request(String target, String secretId, boolean signed) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeSecretsManager() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeSecretsManager put(String secretId, String secretString) {
        secrets.put(secretId, secretString);
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = JSON.readTree(body.readAllBytes());
            String secretId = request.path("SecretId").asText(null);
            requests.add(new Request(target, secretId,
                    exchange.getRequestHeaders().getFirst("Authorization") != null));
            ObjectNode answer = JSON.createObjectNode();
            int status;
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                status = 400;
                answer.put("__type", "UnknownOperationException");
            } else if (!secrets.containsKey(secretId)) {
                status = 400;
                answer.put("__type", "ResourceNotFoundException");
                answer.put("message", "Secrets Manager can't find the specified secret.");
            } else {
                status = 200;
                answer.put("ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + secretId);
                answer.put("Name", secretId);
                answer.put("SecretString", secrets.get(secretId));
                answer.put("VersionId", "v1");
            }
            byte[] bytes = JSON.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
