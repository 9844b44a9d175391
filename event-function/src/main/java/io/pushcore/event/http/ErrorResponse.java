package io.pushcore.event.http;

import java.util.List;

/** Every 4xx body (CORE's {@code CommonErrorDto}): a message and {@code field: reason} errors. */
public record ErrorResponse(String message, List<String> errors) {

    public ErrorResponse {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
