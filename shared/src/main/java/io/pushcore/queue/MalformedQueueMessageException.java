package io.pushcore.queue;

/** A queue message that is not in the format of {@link QueueCodec}; such a message can never be processed. */
public final class MalformedQueueMessageException extends IllegalArgumentException {

    public MalformedQueueMessageException(String message) {
        super(message);
    }

    public MalformedQueueMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
