package io.pushcore.send;

import java.util.List;
import java.util.UUID;

/** What happened to one receiver: its message id (always minted) and {@code CODE: reason} errors, empty if sent. */
public record ReceiverResult(UUID messageId, List<String> errors) {

    public ReceiverResult {
        errors = List.copyOf(errors);
    }
}
