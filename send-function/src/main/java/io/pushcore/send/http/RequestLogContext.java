package io.pushcore.send.http;

import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.amazonaws.services.lambda.runtime.Context;

import io.quarkus.vertx.http.runtime.QuarkusHttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Puts what identifies a request into every log line written while it is served (JSON fields on Lambda): the Lambda
 * request id, and the bucket and context ids from the path; {@link ApiKeyFilter} adds the tenant once the key is
 * known. Never keys, tokens, endpoints or foreign ids.
 */
@Singleton
public class RequestLogContext {

    /** Before {@link ApiKeyFilter} (priority {@code USER}), which adds the tenant. */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void enter(ContainerRequestContext request, HttpServerRequest http) {
        MDC.clear();
        // quarkus-amazon-lambda-http hands the invocation's Context over with the request's headers
        if (http.headers() instanceof QuarkusHttpHeaders headers
                && headers.getContextObjects().get(Context.class) instanceof Context invocation) {
            MDC.put("requestId", invocation.getAwsRequestId());
        }
        var path = request.getUriInfo().getPathParameters();
        putIfPresent("bucketId", path.getFirst("bucketId"));
        putIfPresent("contextId", path.getFirst("contextId"));
    }

    @ServerResponseFilter
    public void leave() {
        MDC.clear();
    }

    private static void putIfPresent(String key, String value) {
        // ids are UUIDs; anything longer is not an id and stays out of the logs
        if (value != null && value.length() <= 36) {
            MDC.put(key, value);
        }
    }
}
