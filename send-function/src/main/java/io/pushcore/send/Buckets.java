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

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pushcore.crypto.CredentialCipher;
import io.pushcore.net.ForbiddenDestinationException;
import io.pushcore.net.NetworkPolicy;
import io.pushcore.provider.webpush.VapidKeys;
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

    /** A VAPID credential as requested; {@code subject} may be null (CORE clients send none). */
    public record VapidSpec(String publicKey, String privateKey, String subject) {

        @Override
        public String toString() {
            return "VapidSpec[publicKey=" + publicKey + "]";
        }
    }

    private final StateStore store;
    private final CredentialCipher cipher;
    private final NetworkPolicy networkPolicy;
    private final ObjectMapper json;
    private final Clock clock;
    private final SendConfig config;
    private final BoundedCache<UUID, Bucket> cache;

    Buckets(StateStore store, CredentialCipher cipher, NetworkPolicy networkPolicy, ObjectMapper json, Clock clock,
            SendConfig config) {
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
    public List<String> validate(List<VapidSpec> credentials, CallbackConfig callback) {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < credentials.size(); i++) {
            VapidSpec spec = credentials.get(i);
            if (spec == null) {
                continue;
            }
            String path = "providerCredentials[" + i + "].payload.";
            if (spec.publicKey() != null && spec.privateKey() != null) {
                try {
                    VapidKeys.parse(spec.publicKey(), spec.privateKey());
                } catch (IllegalArgumentException e) {
                    errors.add(path + safeMessage(e));
                }
            }
            if (!isContactUrl(subjectOf(spec))) {
                errors.add(path + "subject: must be a mailto: or https: URL");
            }
        }
        if (callback instanceof CallbackConfig.Http http) {
            try {
                networkPolicy.check(http.url());
            } catch (ForbiddenDestinationException e) {
                errors.add("callbackConfig.payload.url: " + e.getMessage());
            }
        }
        return errors;
    }

    public Bucket create(String tenant, List<VapidSpec> credentials, CallbackConfig callback) {
        List<String> errors = validate(credentials, callback);
        if (!errors.isEmpty()) {
            throw new ApiProblem.Invalid("invalid bucket", errors);
        }
        UUID bucketId = UUID.randomUUID();
        List<Credential> created = credentials.stream()
                .map(spec -> (Credential) new Credential.Vapid(UUID.randomUUID(), spec.publicKey(),
                        spec.privateKey(), subjectOf(spec)))
                .toList();
        Instant now = clock.instant();
        Bucket bucket = new Bucket(bucketId, tenant, now, now.plus(config.bucket().lifetime()), created, callback);
        store.putBucket(seal(bucket));
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

    /** VapidKeys' messages name the field and the problem, never the key material. */
    private static String safeMessage(IllegalArgumentException e) {
        String message = e.getMessage();
        return message == null ? "is not a valid key" : message;
    }

    private StoredBucket seal(Bucket bucket) {
        List<StoredCredential> credentials = bucket.credentials().stream()
                .map(c -> new StoredCredential(c.id(), c.type(), sealJson(payloadOf(c), aad(bucket.id(), c.id()))))
                .toList();
        return new StoredBucket(bucket.id(), bucket.tenant(), bucket.createdAt(), bucket.expiresAt(), credentials,
                sealJson(callbackDocument(bucket.callback()), callbackAad(bucket.id())));
    }

    private Bucket open(StoredBucket stored) {
        List<Credential> credentials = stored.credentials().stream().map(c -> {
            CredentialDocument doc = openJson(c.sealedPayload(), aad(stored.bucketId(), c.id()),
                    CredentialDocument.class);
            return (Credential) switch (c.type()) {
                case "vapid" -> new Credential.Vapid(c.id(), doc.publicKey(), doc.privateKey(), doc.subject());
                default -> throw new IllegalStateException("unknown stored credential type " + c.type());
            };
        }).toList();
        CallbackDocument callback = openJson(stored.sealedCallback(), callbackAad(stored.bucketId()),
                CallbackDocument.class);
        return new Bucket(stored.bucketId(), stored.tenant(), stored.createdAt(), stored.expiresAt(), credentials,
                callback.toConfig());
    }

    private static Object payloadOf(Credential credential) {
        return switch (credential) {
            case Credential.Vapid v -> new CredentialDocument(v.publicKey(), v.privateKey(), v.subject());
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

    private String sealJson(Object document, byte[] aad) {
        try {
            return Base64.getEncoder().encodeToString(cipher.seal(json.writeValueAsBytes(document), aad));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T openJson(String sealed, byte[] aad, Class<T> type) {
        try {
            return json.readValue(cipher.open(Base64.getDecoder().decode(sealed), aad), type);
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
