package io.pushcore.send.http;

import java.util.UUID;

public record ContextResponse(UUID contextId) {
}
