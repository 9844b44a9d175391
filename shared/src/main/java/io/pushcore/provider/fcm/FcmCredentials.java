package io.pushcore.provider.fcm;

import java.net.URI;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A bucket's {@code fcm_v1} credential: the Google service-account JSON exactly as the customer downloaded it,
 * checked when the bucket is created. Failures are {@link IllegalArgumentException}s naming the JSON field
 * ({@code "private_key: is not a PKCS#8 RSA private key"}); neither messages nor {@code toString()} show the key.
 *
 * <p>
 * {@code token_uri} is where the provider posts a JWT signed with the customer's key to get access tokens, so by
 * default only Google's token endpoints are accepted; tests and local runs widen that with a policy.
 */
public final class FcmCredentials {

    /** The {@code providerCredentials[].type} of this credential. */
    public static final String TYPE = "fcm_v1";

    /** Google's OAuth token endpoints that service-account files name. */
    public static final Set<String> GOOGLE_TOKEN_URIS = Set.of("https://oauth2.googleapis.com/token",
            "https://accounts.google.com/o/oauth2/token");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PEM = Pattern.compile("-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----",
            Pattern.DOTALL);

    private final String json;
    private final String projectId;
    private final String clientEmail;
    private final URI tokenUri;

    private FcmCredentials(String json, String projectId, String clientEmail, URI tokenUri) {
        this.json = json;
        this.projectId = projectId;
        this.clientEmail = clientEmail;
        this.tokenUri = tokenUri;
    }

    /** Parses a service-account JSON whose {@code token_uri} is one of {@link #GOOGLE_TOKEN_URIS}. */
    public static FcmCredentials parse(String serviceAccountJson) {
        return parse(serviceAccountJson, uri -> GOOGLE_TOKEN_URIS.contains(uri.toString()));
    }

    /** Parses a service-account JSON, accepting the {@code token_uri}s that {@code tokenUriAllowed} accepts. */
    public static FcmCredentials parse(String serviceAccountJson, Predicate<URI> tokenUriAllowed) {
        Objects.requireNonNull(tokenUriAllowed, "tokenUriAllowed");
        JsonNode root;
        try {
            root = serviceAccountJson == null ? null : JSON.readTree(serviceAccountJson);
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("payload: must be the service-account JSON object");
        }
        if (!"service_account".equals(text(root, "type"))) {
            throw new IllegalArgumentException("type: must be service_account (a Google service-account key file)");
        }
        String projectId = required(root, "project_id");
        String clientEmail = required(root, "client_email");
        if (!clientEmail.contains("@")) {
            throw new IllegalArgumentException("client_email: is not an email address");
        }
        if (!isRsaPkcs8(text(root, "private_key"))) {
            throw new IllegalArgumentException("private_key: is not a PKCS#8 RSA private key");
        }
        URI tokenUri;
        try {
            tokenUri = URI.create(required(root, "token_uri"));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("token_uri:")) {
                throw e;
            }
            throw new IllegalArgumentException("token_uri: is not a URL");
        }
        if (!tokenUri.isAbsolute() || tokenUri.getHost() == null || !tokenUriAllowed.test(tokenUri)) {
            throw new IllegalArgumentException("token_uri: must be Google's OAuth token endpoint");
        }
        return new FcmCredentials(serviceAccountJson, projectId, clientEmail, tokenUri);
    }

    private static boolean isRsaPkcs8(String pem) {
        if (pem == null) {
            return false;
        }
        Matcher m = PEM.matcher(pem.replace("\\n", "\n"));
        if (!m.find()) {
            return false;
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1).trim());
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof RSAPrivateKey;
        } catch (Exception e) {
            return false;
        }
    }

    private static String required(JsonNode root, String field) {
        String v = text(root, field);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(field + ": is required");
        }
        return v;
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n == null || !n.isTextual() ? null : n.asText();
    }

    /** The Firebase project the messages go to ({@code project_id}). */
    public String projectId() {
        return projectId;
    }

    public String clientEmail() {
        return clientEmail;
    }

    public URI tokenUri() {
        return tokenUri;
    }

    /** The JSON as given; it holds the private key, so it only ever goes to the Google auth library. */
    String json() {
        return json;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FcmCredentials c && json.equals(c.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "FcmCredentials[projectId=" + projectId + ", clientEmail=" + clientEmail + "]";
    }
}
