package io.pushcore.send.storage;

/**
 * Shared fixed-window counters for quotas, one object per token, use case and window
 * ({@code quota/<tokenId>/<useCase>/<interval>-<window>.json}, expired by the state bucket's lifecycle). Every
 * instance leases units from the same counter, so the units leased in one window never exceed its quota.
 */
public interface QuotaCounters {

    /**
     * Adds between {@code need} and {@code want} units to the counter, as many as fit under {@code quota}, atomically
     * against every other instance.
     *
     * @return the units added: 0 when fewer than {@code need} are left in the window
     */
    long lease(String counter, long need, long want, long quota);
}
