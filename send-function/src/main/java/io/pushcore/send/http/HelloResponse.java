package io.pushcore.send.http;

/** {@code GET /}: CORE's {@code HelloDto}. */
public record HelloResponse(String currentVersion, String service, String docs) {
}
