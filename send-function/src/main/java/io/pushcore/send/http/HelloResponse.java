package io.pushcore.send.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code GET /}: CORE's {@code HelloDto} ({@code currentVersion} and the operator's {@code discord}, {@code github}
 * and {@code email} links, each left out when not configured), plus {@code service} and {@code docs} (where the
 * OpenAPI document is, where it is served at all).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HelloResponse(String currentVersion, String discord, String github, String email, String service,
        String docs) {
}
