package io.pushcore.send.http;

import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.pushcore.send.ApiProblem;

/**
 * The one place that turns failures into HTTP answers: every 4xx gets the {@code {message, errors[]}} body with
 * field paths; a 5xx says nothing about internals and its cause is logged once, here.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem problem) {
        int status = switch (problem) {
            case ApiProblem.Invalid invalid -> 400;
            case ApiProblem.NotFound notFound -> 404;
            case ApiProblem.Expired expired -> 410;
            case ApiProblem.Unavailable unavailable -> 503;
            case ApiProblem.TooManyRequests tooMany -> 429;
        };
        Response response = body(status, problem.getMessage(), problem.errors());
        if (problem instanceof ApiProblem.TooManyRequests tooMany) {
            return Response.fromResponse(response).header("Retry-After", tooMany.retryAfterSeconds()).build();
        }
        return response;
    }

    @ServerExceptionMapper({ ConstraintViolationException.class, ValidationException.class })
    public Response validation(ValidationException exception) {
        if (!(exception instanceof ConstraintViolationException violations)) {
            return internal(exception);
        }
        List<String> errors = violations.getConstraintViolations().stream()
                .map(v -> path(v) + ": " + v.getMessage())
                .sorted()
                .toList();
        return body(400, "input validation failed", errors);
    }

    @ServerExceptionMapper({ JsonProcessingException.class, JsonMappingException.class,
            MismatchedInputException.class, JsonParseException.class })
    public Response json(JsonProcessingException exception) {
        if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return body(400, "malformed request body",
                    List.of(jsonPath(mapping.getPath()) + ": " + expectation(mapping)));
        }
        var location = exception.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column "
                + location.getColumnNr();
        return body(400, "malformed request body", List.of("body: is not valid JSON" + where));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception) {
        int status = exception.getResponse().getStatus();
        if (status >= 500) {
            return internal(exception);
        }
        if (exception.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        String message = switch (status) {
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "request body too large";
            case 415 -> "unsupported media type: send application/json";
            case 406 -> "not acceptable: this API answers application/json";
            default -> "bad request";
        };
        String detail = status == 400 && exception.getMessage() != null ? exception.getMessage() : message;
        return body(status, message, List.of("request: " + detail));
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

    /** {@code receivers[3].credentialId}: the violation path without the method and parameter nodes. */
    private static String path(ConstraintViolation<?> violation) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getIndex() != null) {
                    out.append('[').append(node.getIndex()).append(']');
                }
                continue;
            }
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(node.getName());
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    private static String jsonPath(List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getFieldName());
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    /** What the field should have been; Jackson's own message can quote the input, so it is not passed on. */
    private static String expectation(JsonMappingException exception) {
        if (exception.getCause() instanceof InputCoercionException) {
            return "is out of range";
        }
        Class<?> type = exception instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (type == null) {
            return "has the wrong type";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "must be an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "must be an ISO-8601 timestamp such as 2025-01-31T12:00:00Z";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "must be an object";
        }
        return "has the wrong type";
    }
}
