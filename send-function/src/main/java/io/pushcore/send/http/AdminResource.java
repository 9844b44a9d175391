package io.pushcore.send.http;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.pushcore.send.ApiProblem;
import io.pushcore.send.quota.QuotaUseCase;
import io.pushcore.send.quota.RateLimit;
import io.pushcore.send.storage.StoredToken;

/**
 * The operator's admin API (admin key only, see {@link ApiKeyFilter}): API tokens as data, with CORE's command
 * names ({@code AddTokenCommand {tenant}}, {@code RevokeCommandToken {token}}), and their quotas
 * ({@code SetUseCaseRateLimitForTokenCommand {apiToken, useCaseName, quota, interval}}).
 */
@Path("/v1/admin")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    static final String TENANT_PATTERN = "[A-Za-z0-9._-]{1,64}";

    /** CORE's {@code AddTokenCommand}. */
    public record AddTokenCommand(
            @NotNull @Pattern(regexp = TENANT_PATTERN, message = "must be 1 to 64 of A-Z a-z 0-9 . _ -") String tenant) {
    }

    /** CORE's {@code RevokeCommandToken}: the token's id, or the whole key. */
    public record RevokeCommandToken(@NotBlank @Size(max = 200) String token) {
    }

    /** The key is in this answer only: it is stored as a hash and can never be shown again. */
    public record AddedToken(String tokenId, String tenant, String token, Instant createdAt) {
    }

    public record TokenInfo(String tokenId, Instant createdAt) {
        static TokenInfo of(StoredToken token) {
            return new TokenInfo(token.tokenId(), token.createdAt());
        }
    }

    public record TenantTokens(String tenant, List<TokenInfo> tokens) {
    }

    public record RevokedToken(String tokenId, String tenant, boolean revoked) {
    }

    /**
     * CORE's {@code SetUseCaseRateLimitForTokenCommand}: {@code apiToken} is the token's id or its whole key;
     * {@code quota} units per {@code interval} milliseconds. Numbers (CORE types them {@code number}) are checked to
     * be whole here, so 1.5 is refused rather than rounded.
     */
    public record SetUseCaseRateLimitForTokenCommand(String apiToken, String useCaseName, BigDecimal quota,
            BigDecimal interval) {
    }

    public record UseCaseLimit(String useCaseName, long quota, long interval) {
    }

    public record TokenLimits(String tokenId, String tenant, List<UseCaseLimit> limits) {
        static TokenLimits of(StoredToken token) {
            return new TokenLimits(token.tokenId(), token.tenant(), token.limits().entrySet().stream()
                    .map(e -> new UseCaseLimit(e.getKey(), e.getValue().quota(), e.getValue().interval()))
                    .sorted(Comparator.comparing(UseCaseLimit::useCaseName)).toList());
        }
    }

    private final ApiTokens tokens;

    AdminResource(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @POST
    @Path("token")
    public Response addToken(@NotNull @Valid AddTokenCommand command) {
        ApiTokens.Issued issued = tokens.issue(command.tenant());
        return Response.status(201).entity(new AddedToken(issued.token().tokenId(), issued.token().tenant(),
                issued.key(), issued.token().createdAt())).build();
    }

    @GET
    @Path("tenant/{tenant}/tokens")
    public TenantTokens tokens(@PathParam("tenant") String tenant) {
        if (!tenant.matches(TENANT_PATTERN)) {
            throw new ApiProblem.Invalid("invalid tenant", List.of("tenant: must be 1 to 64 of A-Z a-z 0-9 . _ -"));
        }
        return new TenantTokens(tenant, tokens.ofTenant(tenant).stream().map(TokenInfo::of).toList());
    }

    @POST
    @Path("token/revoke")
    public RevokedToken revoke(@NotNull @Valid RevokeCommandToken command) {
        StoredToken revoked = tokens.revoke(command.token().trim())
                .orElseThrow(() -> new ApiProblem.NotFound("no such token", List.of("token: no such token")));
        return new RevokedToken(revoked.tokenId(), revoked.tenant(), true);
    }

    @POST
    @Path("token/rate-limit")
    public TokenLimits setRateLimit(SetUseCaseRateLimitForTokenCommand command) {
        if (command == null) {
            throw new ApiProblem.Invalid("invalid rate limit", List.of("body: is required"));
        }
        List<String> errors = new ArrayList<>();
        String token = command.apiToken() == null ? "" : command.apiToken().trim();
        if (token.isEmpty() || token.length() > 200) {
            errors.add("apiToken: is required: the token's id or its whole key");
        }
        QuotaUseCase useCase = useCase(command.useCaseName(), errors);
        long quota = whole(command.quota(), 1, RateLimit.MAX_QUOTA, "quota", errors);
        long interval = whole(command.interval(), RateLimit.MIN_INTERVAL, RateLimit.MAX_INTERVAL,
                "interval", errors);
        if (!errors.isEmpty()) {
            throw new ApiProblem.Invalid("invalid rate limit", errors);
        }
        return TokenLimits.of(tokens.limit(token, useCase.wire(), new RateLimit(quota, interval))
                .orElseThrow(() -> new ApiProblem.NotFound("no such token", List.of("apiToken: no such token"))));
    }

    @GET
    @Path("token/{tokenId}/rate-limits")
    public TokenLimits rateLimits(@PathParam("tokenId") String tokenId) {
        return TokenLimits.of(token(tokenId));
    }

    @DELETE
    @Path("token/{tokenId}/rate-limits/{useCaseName}")
    public TokenLimits removeRateLimit(@PathParam("tokenId") String tokenId,
            @PathParam("useCaseName") String useCaseName) {
        List<String> errors = new ArrayList<>();
        QuotaUseCase useCase = useCase(useCaseName, errors);
        if (!errors.isEmpty()) {
            throw new ApiProblem.Invalid("invalid use case", errors);
        }
        if (!token(tokenId).limits().containsKey(useCase.wire())) {
            throw new ApiProblem.NotFound("no such rate limit",
                    List.of("useCaseName: this token has no limit for " + useCase.wire()));
        }
        return TokenLimits.of(tokens.limit(tokenId, useCase.wire(), null)
                .orElseThrow(() -> new ApiProblem.NotFound("no such token", List.of("tokenId: no such token"))));
    }

    /** By id only: a whole key never goes into a URL (it would end up in access logs). */
    private StoredToken token(String tokenId) {
        return (tokenId.matches("[0-9a-f]{20}") ? tokens.find(tokenId) : Optional.<StoredToken>empty())
                .orElseThrow(() -> new ApiProblem.NotFound("no such token", List.of("tokenId: no such token")));
    }

    private static QuotaUseCase useCase(String name, List<String> errors) {
        QuotaUseCase useCase = name == null ? null : QuotaUseCase.fromWire(name.trim()).orElse(null);
        if (useCase == null) {
            errors.add("useCaseName: must be one of " + QuotaUseCase.names());
        }
        return useCase;
    }

    private static long whole(BigDecimal value, long min, long max, String field, List<String> errors) {
        if (value == null || value.stripTrailingZeros().scale() > 0 || value.compareTo(BigDecimal.valueOf(min)) < 0
                || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            errors.add(field + ": must be a whole number from " + min + " to " + max
                    + ("interval".equals(field) ? " (milliseconds)" : ""));
            return 0;
        }
        return value.longValueExact();
    }
}
