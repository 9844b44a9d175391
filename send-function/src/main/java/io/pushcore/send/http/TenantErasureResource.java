package io.pushcore.send.http;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.pushcore.send.storage.TenantEraser;

/**
 * The operator's erasure call (admin key only, see {@link ApiKeyFilter}): deletes a tenant's stored buckets,
 * contexts, routes and CDN images. What it cannot reach within one call's budget it leaves for the next call
 * ({@code complete: false}); calling it again is always safe.
 */
@Path("/v1/admin/erase")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TenantErasureResource {

    /** Well inside the send function's 25 s Lambda timeout. */
    static final Duration BUDGET = Duration.ofSeconds(15);

    /** Named like CORE's admin commands ({@code AddTokenCommand {tenant}}). */
    public record EraseTenantCommand(@NotNull @Pattern(regexp = AdminResource.TENANT_PATTERN,
            message = "must be 1 to 64 of A-Z a-z 0-9 . _ -") String tenant) {
    }

    private final TenantEraser eraser;

    TenantErasureResource(TenantEraser eraser) {
        this.eraser = eraser;
    }

    @POST
    public TenantEraser.Erased erase(@NotNull @Valid EraseTenantCommand command) {
        return eraser.erase(command.tenant(), BUDGET);
    }
}
