package io.pushcore.send.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /v1} call with an API key from {@code authorization: token=<key>},
 * {@code authorization: Bearer <key>} or {@code x-token: <key>} (the CORE SDK, OAuth habit and CORE spec forms).
 * {@code /v1/admin/...} takes only the admin key ({@code send.auth.admin-key}); a tenant's key gets 403 there.
 */
public class ApiKeyFilter {

    private final ApiKeys apiKeys;
    private final Caller caller;

    ApiKeyFilter(ApiKeys apiKeys, Caller caller) {
        this.apiKeys = apiKeys;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1/") && !path.equals("/v1")) {
            return Optional.empty();
        }
        Optional<String> key = presentedKey(request);
        if (key.isEmpty()) {
            return Optional.of(unauthorized("an API key is required: authorization: token=<key>, "
                    + "authorization: Bearer <key> or x-token: <key>"));
        }
        if (path.equals("/v1/admin") || path.startsWith("/v1/admin/")) {
            if (apiKeys.isAdmin(key.get())) {
                return Optional.empty();
            }
            return Optional.of(apiKeys.tenantOf(key.get()).isPresent()
                    ? ErrorMapper.body(403, "forbidden", List.of("authorization: the admin API needs the admin key, "
                            + "not a tenant's API key"))
                    : unauthorized("the admin key is not valid"));
        }
        Optional<ApiKeys.Identity> identity = apiKeys.identify(key.get());
        if (identity.isEmpty()) {
            return Optional.of(unauthorized("the API key is not valid"));
        }
        caller.authenticatedAs(identity.get());
        MDC.put("tenant", caller.tenant());
        return Optional.empty();
    }

    private static Optional<String> presentedKey(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && !authorization.isBlank()) {
            String value = authorization.trim();
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.startsWith("token=")) {
                return nonBlank(value.substring("token=".length()));
            }
            if (lower.startsWith("bearer ")) {
                return nonBlank(value.substring("bearer ".length()));
            }
        }
        return nonBlank(request.getHeaderString("x-token"));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static Response unauthorized(String reason) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(new ErrorResponse("unauthorized", List.of("authorization: " + reason)))
                .build();
    }
}
