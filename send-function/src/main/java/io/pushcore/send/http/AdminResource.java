package io.pushcore.send.http;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.pushcore.send.ApiProblem;
import io.pushcore.send.storage.StoredToken;

/**
 * The operator's admin API (admin key only, see {@link ApiKeyFilter}): API tokens as data, with CORE's command
 * names ({@code AddTokenCommand {tenant}}, {@code RevokeCommandToken {token}}).
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
}
