package io.pushcore.send;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.crypto.CredentialCipher;
import io.pushcore.net.ForbiddenDestinationException;
import io.pushcore.net.NetworkPolicy;
import io.pushcore.provider.apns.ApnsCredentials;
import io.pushcore.provider.fcm.FcmCredentials;
import io.pushcore.provider.webpush.VapidKeys;
import io.pushcore.route.BucketRoute;
import io.pushcore.webhook.WebhookSigner;
import io.pushcore.send.config.ProviderSettings;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.storage.StateStore;
import io.pushcore.send.storage.StoredBucket;
import io.pushcore.send.storage.StoredBucket.StoredCredential;

/**
 * Creates buckets (credentials validated now, sealed at rest) and finds them for their tenant, decrypted and
 * cached while the function is warm.
 */
@ApplicationScoped
public class Buckets {

    private static final TypeReference<Map<String, Object>> PAYLOAD_MAP = new TypeReference<>() {
    };

    /** A credential as requested, before validation. */
    public sealed interface CredentialSpec {
    }

    /** A VAPID credential as requested; {@code subject} may be null (CORE clients send none). */
    public record VapidSpec(String publicKey, String privateKey, String subject) implements CredentialSpec {

        @Override
        public String toString() {
            return "VapidSpec[publicKey=" + publicKey + "]";
        }
    }

    /** An {@code fcm_v1} credential: the service-account JSON text as the customer sent it. */
    public record FcmSpec(String serviceAccountJson) implements CredentialSpec {

        @Override
        public String toString() {
            return "FcmSpec[]";
        }
    }

    /** An {@code apns_token} or {@code apns_cert} credential: the payload's fields. */
    public record ApnsSpec(String type, Map<String, Object> payload) implements CredentialSpec {

        @Override
        public String toString() {
            return "ApnsSpec[type=" + type + "]";
        }
    }

    private final StateStore store;
    private final CredentialCipher cipher;
    private final NetworkPolicy networkPolicy;
    private final ObjectMapper json;
    private final Clock clock;
    private final SendConfig config;
    private final ProviderSettings providers;
    private final BoundedCache<UUID, Bucket> cache;

    Buckets(StateStore store, CredentialCipher cipher, NetworkPolicy networkPolicy, ObjectMapper json, Clock clock,
            SendConfig config, ProviderSettings providers) {
        this.providers = providers;
        this.store = store;
        this.cipher = cipher;
        this.networkPolicy = networkPolicy;
        this.json = json;
        this.clock = clock;
        this.config = config;
        this.cache = new BoundedCache<>(config.cache().maxBuckets(), evicted -> {
        });
    }

    /** Problems with the credentials and callback, as {@code field: reason}; null entries are skipped. */
    public List<String> validate(List<? extends CredentialSpec> credentials, CallbackConfig callback) {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < credentials.size(); i++) {
            String path = "providerCredentials[" + i + "].";
            try {
                switch (credentials.get(i)) {
                    case null -> {
                    }
                    case VapidSpec spec -> {
                        if (spec.publicKey() != null && spec.privateKey() != null) {
                            VapidKeys.parse(spec.publicKey(), spec.privateKey());
                        }
                        if (!isContactUrl(subjectOf(spec))) {
                            errors.add(path + "payload.subject: must be a mailto: or https: URL");
                        }
                    }
                    case FcmSpec spec -> FcmCredentials.parse(spec.serviceAccountJson(), providers.fcmTokenUriAllowed());
                    case ApnsSpec spec -> ApnsCredentials.parse(spec.type(), spec.payload());
                }
            } catch (IllegalArgumentException e) {
                errors.add(payloadField(path, e));
            }
        }
        if (callback instanceof CallbackConfig.Http http) {
            try {
                networkPolicy.check(http.url());
            } catch (ForbiddenDestinationException e) {
                errors.add("callbackConfig.payload.url: " + e.getMessage());
            }
            if (http.secret() != null) {
                try {
                    new WebhookSigner(http.secret());
                } catch (IllegalArgumentException e) {
                    errors.add("callbackConfig.payload.secret: "
                            + e.getMessage().replaceFirst("^webhook secret: ", ""));
                }
            }
        }
        return errors;
    }

    public Bucket create(String tenant, List<? extends CredentialSpec> credentials, CallbackConfig callback) {
        List<String> errors = validate(credentials, callback);
        if (!errors.isEmpty()) {
            throw new ApiProblem.Invalid("invalid bucket", errors);
        }
        UUID bucketId = UUID.randomUUID();
        List<Credential> created = credentials.stream().map(spec -> (Credential) switch (spec) {
            case VapidSpec vapid -> new Credential.Vapid(UUID.randomUUID(), vapid.publicKey(), vapid.privateKey(),
                    subjectOf(vapid));
            case FcmSpec fcm -> new Credential.Fcm(UUID.randomUUID(), fcm.serviceAccountJson());
            case ApnsSpec apns -> new Credential.Apns(UUID.randomUUID(), apns.type(), apns.payload());
        }).toList();
        Instant now = clock.instant();
        Bucket bucket = new Bucket(bucketId, tenant, now, now.plus(config.bucket().lifetime()), created, callback);
        StoredBucket sealed = seal(bucket);
        store.putBucket(sealed);
        // The aggregator opens this very sealed callback (same key, same associated data) to reach the webhook. Kept
        // from now, as the state bucket's S3 lifecycle counts from the object's creation (see io.pushcore.route).
        store.putRoute(new BucketRoute(bucketId, sealed.sealedCallback(), now.plus(config.events().retention()),
                null));
        cache.put(bucketId, bucket);
        return bucket;
    }

    /** The tenant's bucket; another tenant's bucket is reported exactly like a missing one. */
    public Bucket find(String tenant, String bucketIdText) {
        UUID bucketId = parseId(bucketIdText);
        Bucket bucket = bucketId == null ? null : cache.get(bucketId);
        if (bucket == null && bucketId != null) {
            bucket = store.findBucket(bucketId).map(this::open).orElse(null);
            if (bucket != null) {
                cache.put(bucketId, bucket);
            }
        }
        if (bucket == null || !bucket.tenant().equals(tenant)) {
            throw new ApiProblem.NotFound("bucket not found", List.of("bucketId: no bucket " + bucketIdText));
        }
        if (!clock.instant().isBefore(bucket.expiresAt())) {
            throw new ApiProblem.Expired("bucket expired", List.of("bucketId: bucket " + bucketId + " expired at "
                    + bucket.expiresAt() + " (buckets live " + config.bucket().lifetime().toHours()
                    + " h); create a new bucket"));
        }
        return bucket;
    }

    static UUID parseId(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String subjectOf(VapidSpec spec) {
        return spec.subject() == null || spec.subject().isBlank() ? config.webpush().defaultSubject()
                : spec.subject().trim();
    }

    private static boolean isContactUrl(String subject) {
        try {
            URI uri = URI.create(subject);
            return "mailto".equalsIgnoreCase(uri.getScheme())
                    || ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * shared's parse messages start with the payload field they are about and never contain key material;
     * {@code "payload: ..."} is about the payload as a whole.
     */
    private static String payloadField(String path, IllegalArgumentException e) {
        String message = e.getMessage() == null ? "payload: is not a valid credential" : e.getMessage();
        return message.startsWith("payload:") ? path + message : path + "payload." + message;
    }

    private StoredBucket seal(Bucket bucket) {
        List<StoredCredential> credentials = bucket.credentials().stream()
                .map(c -> new StoredCredential(c.id(), c.type(), seal(payloadOf(c), aad(bucket.id(), c.id()))))
                .toList();
        return new StoredBucket(bucket.id(), bucket.tenant(), bucket.createdAt(), bucket.expiresAt(), credentials,
                seal(write(callbackDocument(bucket.callback())), callbackAad(bucket.id())));
    }

    private Bucket open(StoredBucket stored) {
        List<Credential> credentials = stored.credentials().stream().map(c -> {
            byte[] payload = open(c.sealedPayload(), aad(stored.bucketId(), c.id()));
            return (Credential) switch (c.type()) {
                case Credential.Vapid.TYPE -> {
                    CredentialDocument doc = read(payload, CredentialDocument.class);
                    yield new Credential.Vapid(c.id(), doc.publicKey(), doc.privateKey(), doc.subject());
                }
                case FcmCredentials.TYPE -> new Credential.Fcm(c.id(), new String(payload, StandardCharsets.UTF_8));
                case ApnsCredentials.TOKEN_TYPE, ApnsCredentials.CERTIFICATE_TYPE -> new Credential.Apns(c.id(),
                        c.type(), read(payload, PAYLOAD_MAP));
                default -> throw new IllegalStateException("unknown stored credential type " + c.type());
            };
        }).toList();
        CallbackDocument callback = read(open(stored.sealedCallback(), callbackAad(stored.bucketId())),
                CallbackDocument.class);
        return new Bucket(stored.bucketId(), stored.tenant(), stored.createdAt(), stored.expiresAt(), credentials,
                callback.toConfig());
    }

    /** The plaintext inside a credential's envelope: JSON; for fcm_v1 the service-account JSON byte for byte. */
    private byte[] payloadOf(Credential credential) {
        return switch (credential) {
            case Credential.Vapid v -> write(new CredentialDocument(v.publicKey(), v.privateKey(), v.subject()));
            case Credential.Fcm f -> f.serviceAccountJson().getBytes(StandardCharsets.UTF_8);
            case Credential.Apns a -> write(a.payload());
        };
    }

    private static CallbackDocument callbackDocument(CallbackConfig callback) {
        return switch (callback) {
            case CallbackConfig.None none -> new CallbackDocument("none", null, null, null);
            case CallbackConfig.Http http -> new CallbackDocument("http", http.url().toString(), http.headers(),
                    http.secret());
        };
    }

    static byte[] aad(UUID bucketId, UUID credentialId) {
        return (bucketId + ":" + credentialId).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] callbackAad(UUID bucketId) {
        return (bucketId + ":callback").getBytes(StandardCharsets.UTF_8);
    }

    private String seal(byte[] plaintext, byte[] aad) {
        return Base64.getEncoder().encodeToString(cipher.seal(plaintext, aad));
    }

    private byte[] open(String sealed, byte[] aad) {
        return cipher.open(Base64.getDecoder().decode(sealed), aad);
    }

    private byte[] write(Object document) {
        try {
            return json.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(byte[] document, Class<T> type) {
        try {
            return json.readValue(document, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(byte[] document, TypeReference<T> type) {
        try {
            return json.readValue(document, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Plaintext JSON of a vapid credential inside its envelope. */
    record CredentialDocument(String publicKey, String privateKey, String subject) {
    }

    /** Plaintext JSON of the callback config inside its envelope; the aggregator reads the same shape. */
    record CallbackDocument(String type, String url, Map<String, String> headers, String secret) {

        CallbackConfig toConfig() {
            return "http".equals(type) ? new CallbackConfig.Http(URI.create(url), headers, secret)
                    : new CallbackConfig.None();
        }
    }
}
