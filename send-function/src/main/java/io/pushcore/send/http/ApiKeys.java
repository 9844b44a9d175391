package io.pushcore.send.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.send.config.SendConfig;

/** Maps an API key to its tenant by SHA-256 hash; only hashes are configured, keys are never stored or logged. */
@ApplicationScoped
public class ApiKeys {

    private record Entry(String tenant, byte[] hash) {
    }

    private final List<Entry> entries = new ArrayList<>();

    ApiKeys(SendConfig config) {
        for (String item : config.auth().apiKeys()) {
            int colon = item.lastIndexOf(':');
            String hex = colon < 0 ? "" : item.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (colon <= 0 || !hex.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(
                        "send.auth.api-keys (SEND_AUTH_API_KEYS): each entry must be tenant:<sha256 hex of the key>");
            }
            entries.add(new Entry(item.substring(0, colon).trim(), HexFormat.of().parseHex(hex)));
        }
    }

    /** Compares against every configured hash in constant time, so timing reveals neither key nor tenant. */
    public Optional<String> tenantOf(String apiKey) {
        byte[] hash = sha256(apiKey);
        String tenant = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), hash) && tenant == null) {
                tenant = entry.tenant();
            }
        }
        return Optional.ofNullable(tenant);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
