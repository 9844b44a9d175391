package io.pushcore.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.pushcore.webhook.WebhookSigner;

/**
 * A customer's webhook on 127.0.0.1: verifies each request's Standard Webhooks signature with the bucket's secret
 * and records every package it was sent, with the status it answered. It answers 500 to the first
 * {@code failures} requests, then 200.
 */
public final class WebhookReceiver implements AutoCloseable {

    /**
     * One webhook request: its {@code webhook-id}, whether its signature verified, what it answered, its events, and
     * its headers (lower-case names, first value each).
     */
    public record Delivery(String webhookId, boolean signatureValid, int answered, List<Message> messages,
            Map<String, String> headers) {
    }

    /** One entry of {@code messages}: the CORE webhook shape. */
    public record Message(String messageId, String foreignId, String kind, String action, String reason, long ts) {
    }

    private final HttpServer server;
    private final WebhookSigner signer;
    private final AtomicInteger failuresLeft;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    public WebhookReceiver(String secret, int failures) throws IOException {
        this.signer = new WebhookSigner(secret);
        this.failuresLeft = new AtomicInteger(failures);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The messages of every package answered 200. */
    public List<Message> accepted() {
        List<Message> messages = new ArrayList<>();
        deliveries.stream().filter(d -> d.answered() == 200).forEach(d -> messages.addAll(d.messages()));
        return messages;
    }

    /** Waits until the accepted messages satisfy {@code done}; returns them either way. */
    public List<Message> awaitAccepted(Predicate<List<Message>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(accepted()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return accepted();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String id = exchange.getRequestHeaders().getFirst(WebhookSigner.ID_HEADER);
            String timestamp = exchange.getRequestHeaders().getFirst(WebhookSigner.TIMESTAMP_HEADER);
            String signature = exchange.getRequestHeaders().getFirst(WebhookSigner.SIGNATURE_HEADER);
            boolean valid = false;
            if (id != null && timestamp != null && timestamp.matches("\\d+")) {
                long seconds = Long.parseLong(timestamp);
                valid = Math.abs(Instant.now().getEpochSecond() - seconds) <= 300
                        && signer.verify(id, seconds, body, signature);
            }
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            List<Message> messages = new ArrayList<>();
            for (JsonNode m : PushcoreClient.JSON.readTree(body).path("messages")) {
                JsonNode result = m.path("result");
                messages.add(new Message(m.path("messageId").asText(), m.path("foreignId").asText(null),
                        result.path("kind").asText(), result.path("action").asText(null),
                        result.path("reason").asText(null), m.path("ts").asLong()));
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    values.isEmpty() ? "" : values.getFirst()));
            deliveries.add(new Delivery(id, valid, status, List.copyOf(messages), Map.copyOf(headers)));
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
