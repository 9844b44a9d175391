package io.pushcore.send.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Per-token quotas ({@code send.quota.*}, env {@code SEND_QUOTA_*}). */
@ConfigMapping(prefix = "send.quota")
public interface QuotaConfig {

    /**
     * Each instance leases a window's quota from the shared counter in slices of {@code quota / slices} units (at
     * least what the request needs): more slices cost more S3 writes per window, fewer leave more units idle in
     * instances that got a slice and no more requests.
     */
    @WithDefault("10")
    int slices();
}
