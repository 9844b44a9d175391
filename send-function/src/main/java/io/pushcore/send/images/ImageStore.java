package io.pushcore.send.images;

/**
 * Where processed images go: content-addressed per tenant, so storing the same bytes twice for one tenant keeps one
 * object, and a tenant's images can be erased without touching another's.
 */
public interface ImageStore {

    /** The key of {@code image}, and whether this call wrote it (false: it was already there). */
    record Stored(String key, boolean written) {
    }

    /** @param tenantKey the tenant as {@code io.pushcore.send.storage.TenantKey} writes it */
    Stored store(String tenantKey, ProcessedImage image);
}
