package io.pushcore.send.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.pushcore.route.Callback;
import io.pushcore.route.CallbackLimits;
import io.pushcore.send.ApiProblem;
import io.pushcore.send.Bucket;
import io.pushcore.send.Buckets;
import io.pushcore.send.Contexts;
import io.pushcore.send.PushContext;
import io.pushcore.send.credential.Credential;
import io.pushcore.send.credential.CredentialParser;
import io.pushcore.send.http.CreateBucketRequest.CallbackConfigRequest;
import io.pushcore.send.http.CreateBucketRequest.ProviderCredential;
import io.pushcore.send.quota.QuotaUseCase;

/** Buckets and contexts: {@code POST /v1/bucket}, {@code /v1/bucket/{bucketId}/context/data|silent|raw}. */
@Path("/v1/bucket")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class BucketResource {

    private final Buckets buckets;
    private final CredentialParser credentials;
    private final Contexts contexts;
    private final Caller caller;
    private final Quotas quotas;

    BucketResource(Buckets buckets, CredentialParser credentials, Contexts contexts, Caller caller,
            Quotas quotas) {
        this.buckets = buckets;
        this.credentials = credentials;
        this.contexts = contexts;
        this.caller = caller;
        this.quotas = quotas;
    }

    /** Every problem of the request is reported at once; nothing is stored unless there are none. */
    @POST
    public CreateBucketResponse createBucket(@NotNull @Valid CreateBucketRequest request) {
        quotas.charge(QuotaUseCase.BUCKET_CREATION, 1, "request");
        List<String> errors = new ArrayList<>();
        List<Credential> parsed = new ArrayList<>();
        for (int i = 0; i < request.providerCredentials().size(); i++) {
            ProviderCredential credential = request.providerCredentials().get(i);
            switch (credentials.parse(credential.type(), credential.payload(), "providerCredentials[" + i + "].")) {
                case CredentialParser.Parsed.Valid valid -> parsed.add(valid.credential());
                case CredentialParser.Parsed.Invalid invalid -> errors.addAll(invalid.errors());
            }
        }
        Callback callback = callback(request.callbackConfig(), errors);
        if (callback != null) {
            errors.addAll(buckets.checkCallback(callback));
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem.Invalid("invalid bucket", errors);
        }
        Bucket bucket = buckets.create(caller.tenant(), parsed, callback);
        return new CreateBucketResponse(bucket.id(), bucket.credentials().stream()
                .map(c -> new CreateBucketResponse.CredentialRef(c.id(), c.type())).toList());
    }

    @POST
    @Path("{bucketId}/context/data")
    public ContextResponse createDataContext(@PathParam("bucketId") String bucketId,
            @NotNull @Valid DataContextRequest request) {
        quotas.charge(QuotaUseCase.CONTEXT_CREATION, 1, "request");
        Bucket bucket = buckets.find(caller.tenant(), bucketId);
        PushContext context = contexts.create(bucket, request.toContent(), request.ttl(), request.expiresAt(), "");
        return new ContextResponse(context.id());
    }

    @POST
    @Path("{bucketId}/context/silent")
    public ContextResponse createSilentContext(@PathParam("bucketId") String bucketId,
            @NotNull @Valid SilentContextRequest request) {
        quotas.charge(QuotaUseCase.CONTEXT_CREATION, 1, "request");
        Bucket bucket = buckets.find(caller.tenant(), bucketId);
        PushContext context = contexts.create(bucket, request.toContent(), request.ttl(), request.expiresAt(), "");
        return new ContextResponse(context.id());
    }

    @POST
    @Path("{bucketId}/context/raw")
    public ContextResponse createRawContext(@PathParam("bucketId") String bucketId,
            @NotNull RawContextRequest request) {
        quotas.charge(QuotaUseCase.CONTEXT_CREATION, 1, "request");
        Bucket bucket = buckets.find(caller.tenant(), bucketId);
        PushContext context = contexts.create(bucket, request.toContent(""), request.ttl(""), request.expiresAt(""),
                "");
        return new ContextResponse(context.id());
    }

    /** {@code callbackConfig}: {@code {type:"none"}} or {@code {type:"http", payload:{url, headers?, secret?}}}. */
    private static Callback callback(CallbackConfigRequest request, List<String> errors) {
        switch (request.type().trim().toLowerCase(Locale.ROOT)) {
            case "none" -> {
                return new Callback.None();
            }
            case "http" -> {
                if (request.payload() == null || request.payload().url() == null
                        || request.payload().url().isBlank()) {
                    errors.add("callbackConfig.payload.url: is required for an http callback");
                    return null;
                }
                List<String> violations = CallbackLimits.violations(request.payload().url(),
                        request.payload().headers(), request.payload().secret());
                if (!violations.isEmpty()) {
                    errors.addAll(violations);
                    return null;
                }
                URI url;
                try {
                    url = URI.create(request.payload().url().trim());
                } catch (IllegalArgumentException e) {
                    errors.add("callbackConfig.payload.url: is not a valid URL");
                    return null;
                }
                if (url.getHost() == null || !("https".equalsIgnoreCase(url.getScheme())
                        || "http".equalsIgnoreCase(url.getScheme()))) {
                    errors.add("callbackConfig.payload.url: must be an absolute http(s) URL");
                    return null;
                }
                return new Callback.Http(url, request.payload().headers(), request.payload().secret());
            }
            default -> {
                errors.add("callbackConfig.type: must be none or http");
                return null;
            }
        }
    }
}
