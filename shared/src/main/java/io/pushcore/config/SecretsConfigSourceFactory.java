package io.pushcore.config;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Configuration properties whose values live in AWS Secrets Manager, read once when the function starts (on Lambda
 * with SnapStart: when the snapshot is taken), so master keys are never Lambda environment variables that anyone with
 * {@code lambda:GetFunctionConfiguration} could read.
 *
 * <p>
 * {@code pushcore.secrets} (env {@code PUSHCORE_SECRETS}) maps properties to secrets:
 * {@code property=secretId[#field],property=secretId[#field],...}. {@code secretId} is a secret's name or ARN; without
 * {@code #field} the whole {@code SecretString} is the value, with it the secret is a JSON object and the value is
 * that field. Each function's role may read only the secrets it names. Unset or empty: nothing is read (local runs
 * and tests take their keys from {@code application.properties}).
 *
 * <p>
 * The values sit above {@code application.properties} and below environment variables and system properties
 * (ordinal {@value #ORDINAL}). A secret that cannot be read fails the start naming the property and the secret,
 * never a value. {@code pushcore.secrets.endpoint} points the client at a stand-in (tests), with dummy credentials.
 */
public final class SecretsConfigSourceFactory implements ConfigSourceFactory {

    public static final String SECRETS = "pushcore.secrets";
    public static final String ENDPOINT = "pushcore.secrets.endpoint";
    static final int ORDINAL = 275;
    static final String NAME = "Secrets Manager (" + SECRETS + ")";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One wanted property: where its value is. */
    record Reference(String property, String secretId, String field) {
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String mapping = value(context, SECRETS);
        if (mapping == null || mapping.isBlank()) {
            return List.of();
        }
        List<Reference> references = parse(mapping);
        Map<String, String> values = new LinkedHashMap<>();
        try (SecretsManagerClient client = client(value(context, ENDPOINT))) {
            Map<String, String> secretStrings = new LinkedHashMap<>();
            for (Reference reference : references) {
                String secret = secretStrings.computeIfAbsent(reference.secretId(), id -> read(client, reference));
                values.put(reference.property(), select(reference, secret));
            }
        }
        return List.of(new PropertiesConfigSource(values, NAME, ORDINAL));
    }

    /** @throws IllegalStateException naming the malformed entry (which holds names and ids only, never values) */
    static List<Reference> parse(String mapping) {
        List<Reference> references = new ArrayList<>();
        for (String entry : mapping.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0 || equals == trimmed.length() - 1) {
                throw new IllegalStateException(SECRETS + ": '" + trimmed
                        + "' is not property=secretId or property=secretId#field");
            }
            String property = trimmed.substring(0, equals).trim();
            String target = trimmed.substring(equals + 1).trim();
            int hash = target.indexOf('#');
            String secretId = hash < 0 ? target : target.substring(0, hash);
            String field = hash < 0 ? null : target.substring(hash + 1);
            if (secretId.isEmpty() || (field != null && field.isEmpty())) {
                throw new IllegalStateException(SECRETS + ": '" + trimmed + "' names no secret or an empty field");
            }
            references.add(new Reference(property, secretId, field));
        }
        return references;
    }

    private static String read(SecretsManagerClient client, Reference reference) {
        try {
            String secret = client.getSecretValue(b -> b.secretId(reference.secretId())).secretString();
            if (secret == null) {
                throw new IllegalStateException(SECRETS + ": secret " + reference.secretId() + " (for "
                        + reference.property() + ") has no SecretString");
            }
            return secret;
        } catch (SdkException e) {
            // The service's error code (AccessDeniedException, ResourceNotFoundException...) and message; neither
            // ever holds a secret value.
            String code = e instanceof AwsServiceException service && service.awsErrorDetails() != null
                    ? service.awsErrorDetails().errorCode() + ": " : "";
            throw new IllegalStateException(SECRETS + ": could not read secret " + reference.secretId() + " (for "
                    + reference.property() + "): " + code + e.getMessage(), e);
        }
    }

    private static String select(Reference reference, String secret) {
        if (reference.field() == null) {
            return secret;
        }
        JsonNode node;
        try {
            node = JSON.readTree(secret);
        } catch (IOException e) {
            throw new IllegalStateException(SECRETS + ": secret " + reference.secretId() + " (for "
                    + reference.property() + ") is not a JSON object, so it has no field " + reference.field());
        }
        JsonNode value = node == null ? null : node.get(reference.field());
        if (value == null || !value.isValueNode() || value.isNull()) {
            throw new IllegalStateException(SECRETS + ": secret " + reference.secretId() + " has no text field "
                    + reference.field() + " (for " + reference.property() + ")");
        }
        return value.asText();
    }

    private static SecretsManagerClient client(String endpoint) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClientBuilder(ApacheHttpClient.builder());
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.trim())).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        }
        return builder.build();
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null ? null : value.getValue();
    }
}
