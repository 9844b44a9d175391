package io.pushcore.event.http;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.pushcore.event.InvalidEvent;
import io.pushcore.event.storage.EventQueue;

/**
 * Turns failures into HTTP answers: 4xx with the {@code {message, errors[]}} body; 503 when the queue did not take
 * the event, so the client never hears success for an event that was not kept; 5xx says nothing about internals.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response invalid(InvalidEvent invalid) {
        return body(400, invalid.getMessage(), invalid.errors());
    }

    @ServerExceptionMapper
    public Response unavailable(EventQueue.Unavailable unavailable) {
        LOG.errorf("event refused with 503: %s", unavailable.getMessage());
        return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE).header("retry-after", "1")
                .entity(new ErrorResponse("event queue unavailable, try again", List.of())).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception) {
        int status = exception.getResponse().getStatus();
        if (status >= 500) {
            return internal(exception);
        }
        String message = switch (status) {
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "request body too large";
            default -> "bad request";
        };
        return body(status, message, List.of("request: " + message));
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable throwable) {
        return internal(throwable);
    }

    private static Response internal(Throwable cause) {
        LOG.error("request failed", cause);
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse("internal error", List.of())).build();
    }

    static Response body(int status, String message, List<String> errors) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(message, errors)).build();
    }
}
