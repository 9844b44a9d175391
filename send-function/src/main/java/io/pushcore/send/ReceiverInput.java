package io.pushcore.send;

/**
 * One receiver as the client sent it, not yet checked; {@code path} names it in errors ({@code receivers[3]} or
 * {@code receiver}). Checking it is the dispatcher's job, so that a bad receiver fails alone.
 */
public record ReceiverInput(String path, String credentialId, String foreignId, String endpoint, String p256dh,
        String auth, String token, String type) {
}
