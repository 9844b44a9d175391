package io.pushcore.send.http;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /v1/bucket/{bucketId}/context/{contextId}/send}: CORE's {@code SendManyToContextDto}. */
public record SendManyRequest(@NotNull @Size(min = 1, max = 1000) List<@NotNull ReceiverRequest> receivers) {
}
