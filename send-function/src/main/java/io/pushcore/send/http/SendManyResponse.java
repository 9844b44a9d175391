package io.pushcore.send.http;

import java.util.List;

/** {@code results[i]} belongs to {@code receivers[i]} of the request. */
public record SendManyResponse(List<MessageResponse> results) {
}
