package io.pushcore.send.http;

import jakarta.validation.constraints.NotNull;

/** {@code POST /v1/bucket/{bucketId}/send/raw}: one receiver and the raw context to create for it. */
public record SendRawRequest(@NotNull ReceiverRequest receiver, @NotNull RawContextRequest metadata) {
}
