package io.pushcore.send.http;

import java.util.List;
import java.util.UUID;

import io.pushcore.send.ReceiverResult;

/** CORE's {@code MessageResponseDto}: the message id and its errors (empty when the provider took it). */
public record MessageResponse(UUID messageId, List<String> errors) {

    static MessageResponse of(ReceiverResult result) {
        return new MessageResponse(result.messageId(), result.errors());
    }
}
