package io.pushcore.send;

import java.util.List;

/**
 * A request the API refuses as a whole, with a message for humans and {@code field: reason} errors. Messages are
 * written for clients: never put a secret or an internal detail in one.
 */
public abstract sealed class ApiProblem extends RuntimeException {

    private final List<String> errors;

    private ApiProblem(String message, List<String> errors) {
        super(message, null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }

    /** The request is malformed or names something it may not (HTTP 400). */
    public static final class Invalid extends ApiProblem {
        public Invalid(String message, List<String> errors) {
            super(message, errors);
        }
    }

    /** No such bucket or context for this tenant (HTTP 404); other tenants' resources are reported the same way. */
    public static final class NotFound extends ApiProblem {
        public NotFound(String message, List<String> errors) {
            super(message, errors);
        }
    }

    /** A dependency did not answer and the request's effect could not be completed (HTTP 503). */
    public static final class Unavailable extends ApiProblem {
        public Unavailable(String message, List<String> errors) {
            super(message, errors);
        }
    }

    /** The bucket or context existed but its lifetime is over (HTTP 410). */
    public static final class Expired extends ApiProblem {
        public Expired(String message, List<String> errors) {
            super(message, errors);
        }
    }

    /** The caller's token is over its quota for this window (HTTP 429, {@code Retry-After} in whole seconds). */
    public static final class TooManyRequests extends ApiProblem {
        private final long retryAfterSeconds;

        public TooManyRequests(String message, List<String> errors, long retryAfterSeconds) {
            super(message, errors);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
