package io.pushcore.send.http;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** {@code POST /v1/bucket/{bucketId}/send}: one receiver and the data context to create for it. */
public record SendDataRequest(@NotNull ReceiverRequest receiver, @NotNull @Valid DataContextRequest metadata) {
}
