package io.pushcore.send.http;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** {@code POST /v1/bucket/{bucketId}/send/silent}: one receiver and the silent context to create for it. */
public record SendSilentRequest(@NotNull ReceiverRequest receiver, @NotNull @Valid SilentContextRequest metadata) {
}
