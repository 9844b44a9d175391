package io.pushcore.event;

/**
 * A client event as posted by a CORE SDK, fields still unparsed: {@code ts} is an ISO-8601 text, epoch
 * milliseconds (as a number or text) or null; {@code contextId} is the optional copy of the path's context id.
 */
public record ClientEvent(String messageId, String foreignId, String action, Object ts, String contextId) {
}
