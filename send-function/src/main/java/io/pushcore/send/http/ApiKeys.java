package io.pushcore.send.http;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.send.config.SendConfig;
import io.pushcore.send.storage.StoredToken;

/**
 * Maps an API key to its tenant: the configured {@code send.auth.api-keys} (by SHA-256 hash) or a token issued
 * through the admin API ({@link ApiTokens}). Keys are never stored or logged.
 */
@ApplicationScoped
public class ApiKeys {

    private record Entry(String tenant, byte[] hash) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final ApiTokens tokens;
    private final Optional<byte[]> adminHash;

    ApiKeys(SendConfig config, ApiTokens tokens) {
        this.tokens = tokens;
        this.adminHash = config.auth().adminKey().map(hex -> {
            if (!hex.trim().toLowerCase(Locale.ROOT).matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(
                        "send.auth.admin-key (SEND_AUTH_ADMIN_KEY): must be the sha256 hex of the admin key");
            }
            return HexFormat.of().parseHex(hex.trim().toLowerCase(Locale.ROOT));
        });
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

    /** Who presented a key: its tenant and, for a token issued through the admin API, the token (with its limits). */
    public record Identity(String tenant, Optional<StoredToken> token) {
    }

    public Optional<String> tenantOf(String apiKey) {
        return identify(apiKey).map(Identity::tenant);
    }

    /** Compares against every configured hash in constant time, so timing reveals neither key nor tenant. */
    public Optional<Identity> identify(String apiKey) {
        byte[] hash = sha256(apiKey);
        String tenant = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), hash) && tenant == null) {
                tenant = entry.tenant();
            }
        }
        if (tenant == null) {
            return tokens.authenticate(apiKey).map(token -> new Identity(token.tenant(), Optional.of(token)));
        }
        return Optional.of(new Identity(tenant, Optional.empty()));
    }

    public boolean isAdmin(String key) {
        return adminHash.isPresent() && MessageDigest.isEqual(adminHash.get(), sha256(key));
    }

    private static byte[] sha256(String key) {
        return ApiTokens.sha256(key);
    }
}
