package io.pushcore.event;

import java.util.List;

/**
 * A client event refused as a whole (HTTP 400), with {@code field: reason} errors. Messages go to anonymous
 * clients: they never carry a secret or an internal detail.
 */
public final class InvalidEvent extends RuntimeException {

    private final List<String> errors;

    public InvalidEvent(String message, List<String> errors) {
        super(message, null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
