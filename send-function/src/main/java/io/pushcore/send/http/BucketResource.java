package io.pushcore.send.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.provider.apns.ApnsCredentials;
import io.pushcore.provider.fcm.FcmCredentials;
import io.pushcore.route.CallbackLimits;
import io.pushcore.send.ApiProblem;
import io.pushcore.send.Bucket;
import io.pushcore.send.Buckets;
import io.pushcore.send.CallbackConfig;
import io.pushcore.send.Contexts;
import io.pushcore.send.PushContext;
import io.pushcore.send.http.CreateBucketRequest.CallbackConfigRequest;
import io.pushcore.send.http.CreateBucketRequest.ProviderCredential;

/** Buckets and contexts: {@code POST /v1/bucket}, {@code /v1/bucket/{bucketId}/context/data|silent}. */
@Path("/v1/bucket")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class BucketResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> PAYLOAD_MAP = new TypeReference<>() {
    };

    private final Buckets buckets;
    private final Contexts contexts;
    private final Caller caller;

    BucketResource(Buckets buckets, Contexts contexts, Caller caller) {
        this.buckets = buckets;
        this.contexts = contexts;
        this.caller = caller;
    }

    @POST
    public CreateBucketResponse createBucket(@NotNull @Valid CreateBucketRequest request) {
        List<String> errors = new ArrayList<>();
        List<Buckets.CredentialSpec> specs = new ArrayList<>();
        for (int i = 0; i < request.providerCredentials().size(); i++) {
            specs.add(credentialSpec(request.providerCredentials().get(i), "providerCredentials[" + i + "].",
                    errors));
        }
        CallbackConfig callback = callback(request.callbackConfig(), errors);
        errors.addAll(buckets.validate(specs, callback));
        if (!errors.isEmpty()) {
            throw new ApiProblem.Invalid("invalid bucket", errors);
        }
        Bucket bucket = buckets.create(caller.tenant(), specs, callback);
        return new CreateBucketResponse(bucket.id(), bucket.credentials().stream()
                .map(c -> new CreateBucketResponse.CredentialRef(c.id(), c.type())).toList());
    }

    @POST
    @Path("{bucketId}/context/data")
    public ContextResponse createDataContext(@PathParam("bucketId") String bucketId,
            @NotNull @Valid DataContextRequest request) {
        Bucket bucket = buckets.find(caller.tenant(), bucketId);
        PushContext context = contexts.create(bucket, request.toContent(), request.ttl(), request.expiresAt(), "");
        return new ContextResponse(context.id());
    }

    @POST
    @Path("{bucketId}/context/silent")
    public ContextResponse createSilentContext(@PathParam("bucketId") String bucketId,
            @NotNull @Valid SilentContextRequest request) {
        Bucket bucket = buckets.find(caller.tenant(), bucketId);
        PushContext context = contexts.create(bucket, request.toContent(), request.ttl(), request.expiresAt(), "");
        return new ContextResponse(context.id());
    }

    private static Buckets.CredentialSpec credentialSpec(ProviderCredential credential, String path,
            List<String> errors) {
        String type = credential.type().trim().toLowerCase(Locale.ROOT);
        JsonNode payload = credential.payload();
        switch (type) {
            case "vapid" -> {
                if (!payload.isObject()) {
                    errors.add(path + "payload: must be an object {publicKey, privateKey, subject?}");
                    return null;
                }
                String publicKey = text(payload, "publicKey", path, errors, true);
                String privateKey = text(payload, "privateKey", path, errors, true);
                String subject = text(payload, "subject", path, errors, false);
                return new Buckets.VapidSpec(publicKey, privateKey, subject);
            }
            case FcmCredentials.TYPE -> {
                // The service-account JSON as downloaded; a string holding that JSON is taken too.
                if (payload.isObject()) {
                    return new Buckets.FcmSpec(payload.toString());
                }
                if (payload.isTextual()) {
                    return new Buckets.FcmSpec(payload.textValue());
                }
                errors.add(path + "payload: must be the service-account JSON object");
            }
            case ApnsCredentials.TOKEN_TYPE, ApnsCredentials.CERTIFICATE_TYPE -> {
                if (!payload.isObject()) {
                    errors.add(path + "payload: must be an object (" + (type.equals(ApnsCredentials.TOKEN_TYPE)
                            ? "teamId, keyId, key, production, appBundleId and/or websitePushId"
                            : "p12, passphrase, production, appBundleId and/or websitePushId") + ")");
                    return null;
                }
                return new Buckets.ApnsSpec(type, JSON.convertValue(payload, PAYLOAD_MAP));
            }
            case "fcm_legacy" -> errors.add(path + "type: fcm_legacy is refused: Google shut the legacy FCM API "
                    + "down; create an fcm_v1 credential from your service-account JSON instead");
            case "hms" -> errors.add(path + "type: hms (Huawei Push Kit) is not supported");
            default -> errors.add(path + "type: unknown credential type; expected one of vapid, fcm_v1, "
                    + "apns_token, apns_cert");
        }
        return null;
    }

    private static String text(JsonNode payload, String field, String path, List<String> errors,
            boolean required) {
        JsonNode node = payload.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(path + "payload." + field + ": is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(path + "payload." + field + ": must be a string");
            return null;
        }
        return node.textValue();
    }

    private static CallbackConfig callback(CallbackConfigRequest request, List<String> errors) {
        switch (request.type().trim().toLowerCase(Locale.ROOT)) {
            case "none" -> {
                return new CallbackConfig.None();
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
                try {
                    URI url = URI.create(request.payload().url().trim());
                    if (url.getHost() == null || !("https".equalsIgnoreCase(url.getScheme())
                            || "http".equalsIgnoreCase(url.getScheme()))) {
                        errors.add("callbackConfig.payload.url: must be an absolute http(s) URL");
                        return null;
                    }
                    return new CallbackConfig.Http(url, request.payload().headers(), request.payload().secret());
                } catch (IllegalArgumentException e) {
                    errors.add("callbackConfig.payload.url: is not a valid URL");
                    return null;
                }
            }
            default -> {
                errors.add("callbackConfig.type: must be none or http");
                return null;
            }
        }
    }
}
