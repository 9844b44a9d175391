package io.pushcore.send.credential;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pushcore.provider.apns.ApnsCredentials;
import io.pushcore.provider.fcm.FcmCredentials;
import io.pushcore.provider.hms.HmsCredentials;
import io.pushcore.provider.webpush.VapidKeys;
import io.pushcore.send.config.ProviderSettings;
import io.pushcore.send.config.SendConfig;

/**
 * The one place a credential payload is parsed: from a {@code createBucket} request ({@link #parse}), and from the
 * plaintext sealed at rest when a bucket is read back ({@link #open}). The plaintext formats stay what buckets
 * already in S3 hold: vapid {@code {"publicKey","privateKey","subject"}}, fcm_v1 the service-account JSON as given,
 * apns_* the payload's fields as given; hms {@code {"appId","appSecret","pushUrl","authUrl"}}; fcm_legacy
 * {@code {}}.
 */
@ApplicationScoped
public class CredentialParser {

    /** The credential types {@code providerCredentials[].type} takes. */
    public static final List<String> TYPES = List.of(Credential.Vapid.TYPE, FcmCredentials.TYPE,
            Credential.FcmLegacy.TYPE, HmsCredentials.TYPE, ApnsCredentials.TOKEN_TYPE,
            ApnsCredentials.CERTIFICATE_TYPE);

    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {
    };

    /** A request's credential: parsed, or what is wrong with it as {@code field: reason}. */
    public sealed interface Parsed {

        record Valid(Credential credential) implements Parsed {
        }

        record Invalid(List<String> errors) implements Parsed {
        }
    }

    private final ObjectMapper json;
    private final ProviderSettings providers;
    private final String defaultSubject;

    CredentialParser(ObjectMapper json, ProviderSettings providers, SendConfig config) {
        this.json = json;
        this.providers = providers;
        this.defaultSubject = config.webpush().defaultSubject();
    }

    /**
     * Parses one {@code providerCredentials[]} entry under a new credential id. Errors start with {@code path}
     * ({@code providerCredentials[2].}) and never contain key material.
     */
    public Parsed parse(String type, JsonNode payload, String path) {
        String normalized = type.trim().toLowerCase(Locale.ROOT);
        UUID id = UUID.randomUUID();
        List<String> errors = new ArrayList<>();
        Credential credential = switch (normalized) {
            case Credential.Vapid.TYPE -> vapid(id, payload, path, errors);
            case FcmCredentials.TYPE -> {
                // The service-account JSON as downloaded; a string holding that JSON is taken too.
                String account = payload.isObject() ? payload.toString() : payload.isTextual() ? payload.textValue()
                        : null;
                if (account == null) {
                    errors.add(path + "payload: must be the service-account JSON object");
                    yield null;
                }
                yield checked(() -> fcm(id, account), path, errors);
            }
            case ApnsCredentials.TOKEN_TYPE, ApnsCredentials.CERTIFICATE_TYPE -> {
                if (!payload.isObject()) {
                    errors.add(path + "payload: must be an object (" + (normalized.equals(ApnsCredentials.TOKEN_TYPE)
                            ? "teamId, keyId, key, production, appBundleId and/or websitePushId"
                            : "p12, passphrase, production, appBundleId and/or websitePushId") + ")");
                    yield null;
                }
                yield checked(() -> apns(id, normalized, payload.toString()), path, errors);
            }
            case HmsCredentials.TYPE -> {
                if (!payload.isObject()) {
                    errors.add(path + "payload: must be an object {appId, appSecret, pushUrl?, authUrl?}");
                    yield null;
                }
                yield checked(() -> hms(id, json.convertValue(payload, FIELDS)), path, errors);
            }
            case Credential.FcmLegacy.TYPE -> new Credential.FcmLegacy(id);
            default -> {
                errors.add(path + "type: unknown credential type; expected one of " + String.join(", ", TYPES));
                yield null;
            }
        };
        return errors.isEmpty() ? new Parsed.Valid(credential) : new Parsed.Invalid(List.copyOf(errors));
    }

    /**
     * A credential read back from S3: {@code plaintext} is what {@link Credential#document()} was. One that no
     * longer parses (an expired certificate, a deployment that now refuses its URLs, a type this version does not
     * know) becomes {@link Credential.Unusable}.
     */
    public Credential open(UUID id, String type, byte[] plaintext) {
        String document = new String(plaintext, StandardCharsets.UTF_8);
        try {
            return switch (type) {
                case Credential.Vapid.TYPE -> {
                    JsonNode doc = json.readTree(document);
                    yield new Credential.Vapid(id, VapidKeys.parse(doc.path("publicKey").asText(null),
                            doc.path("privateKey").asText(null)), doc.path("subject").asText(null), document);
                }
                case FcmCredentials.TYPE -> fcm(id, document);
                case ApnsCredentials.TOKEN_TYPE, ApnsCredentials.CERTIFICATE_TYPE -> apns(id, type, document);
                case HmsCredentials.TYPE -> hms(id, json.readValue(document, FIELDS));
                case Credential.FcmLegacy.TYPE -> new Credential.FcmLegacy(id);
                default -> new Credential.Unusable(id, type, "this version of pushcore does not know the type",
                        document);
            };
        } catch (IllegalArgumentException | IOException e) {
            return new Credential.Unusable(id, type, e.getMessage() == null ? "it no longer parses" : e.getMessage(),
                    document);
        }
    }

    private Credential vapid(UUID id, JsonNode payload, String path, List<String> errors) {
        if (!payload.isObject()) {
            errors.add(path + "payload: must be an object {publicKey, privateKey, subject?}");
            return null;
        }
        String publicKey = text(payload, "publicKey", path, errors, true);
        String privateKey = text(payload, "privateKey", path, errors, true);
        String given = text(payload, "subject", path, errors, false);
        String subject = given == null || given.isBlank() ? defaultSubject : given.trim();
        if (!isContactUrl(subject)) {
            errors.add(path + "payload.subject: must be a mailto: or https: URL");
        }
        if (publicKey == null || privateKey == null) {
            return null;
        }
        VapidKeys keys = checked(() -> VapidKeys.parse(publicKey, privateKey), path, errors);
        if (keys == null || !errors.isEmpty()) {
            return null;
        }
        ObjectNode document = json.createObjectNode().put("publicKey", publicKey).put("privateKey", privateKey)
                .put("subject", subject);
        return new Credential.Vapid(id, keys, subject, document.toString());
    }

    private Credential.Fcm fcm(UUID id, String account) {
        return new Credential.Fcm(id, FcmCredentials.parse(account, providers.fcmTokenUriAllowed()), account);
    }

    private Credential.Apns apns(UUID id, String type, String fields) {
        Map<String, Object> payload;
        try {
            payload = json.readValue(fields, FIELDS);
        } catch (IOException e) {
            throw new IllegalArgumentException("payload: is not a JSON object");
        }
        return new Credential.Apns(id, ApnsCredentials.parse(type, payload), fields);
    }

    private Credential.Hms hms(UUID id, Map<String, ?> payload) {
        HmsCredentials parsed = HmsCredentials.parse(payload, providers.hmsUrlAllowed());
        ObjectNode document = json.createObjectNode().put("appId", parsed.appId())
                .put("appSecret", parsed.appSecret()).put("pushUrl", parsed.pushUrl().toString())
                .put("authUrl", parsed.authUrl().toString());
        return new Credential.Hms(id, parsed, document.toString());
    }

    /** {@code parse}'s value, or null with its error when it throws {@link IllegalArgumentException}. */
    private static <T> T checked(Supplier<T> parse, String path, List<String> errors) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            // shared's parse messages start with the payload field they are about and never contain key material;
            // "payload: ..." is about the payload as a whole.
            String message = e.getMessage() == null ? "payload: is not a valid credential" : e.getMessage();
            errors.add(message.startsWith("payload:") ? path + message : path + "payload." + message);
            return null;
        }
    }

    private static String text(JsonNode payload, String field, String path, List<String> errors, boolean required) {
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

    private static boolean isContactUrl(String subject) {
        try {
            URI uri = URI.create(subject);
            return "mailto".equalsIgnoreCase(uri.getScheme())
                    || ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
