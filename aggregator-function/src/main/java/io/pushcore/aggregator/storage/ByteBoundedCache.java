package io.pushcore.aggregator.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A least-recently-used cache bounded by the bytes its values take (as the caller weighs them), not by their
 * count, with a time to live: whatever tenants put in their routes, it holds at most {@code maxBytes}. A value
 * heavier than a quarter of the bound is not kept. Thread-safe; loading happens outside its lock.
 */
final class ByteBoundedCache<K, V> {

    private record Entry<V>(V value, long bytes, Instant loadedAt) {
    }

    private final long maxBytes;
    private final Duration ttl;
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    ByteBoundedCache(long maxBytes, Duration ttl) {
        this.maxBytes = maxBytes;
        this.ttl = ttl;
    }

    /** The value cached for {@code key} and loaded less than the time to live before {@code now}; null if none. */
    synchronized V get(K key, Instant now) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!entry.loadedAt().plus(ttl).isAfter(now)) {
            remove(key);
            return null;
        }
        return entry.value();
    }

    /** Keeps {@code value} (weighing {@code weight} bytes), evicting the least recently used until it fits. */
    synchronized void put(K key, V value, long weight, Instant now) {
        remove(key);
        if (weight > maxBytes / 4) {
            return;
        }
        Iterator<Map.Entry<K, Entry<V>>> oldest = entries.entrySet().iterator();
        while (bytes + weight > maxBytes && oldest.hasNext()) {
            bytes -= oldest.next().getValue().bytes();
            oldest.remove();
        }
        entries.put(key, new Entry<>(value, weight, now));
        bytes += weight;
    }

    /** Replaces a cached value in place (same weight and load time); nothing when none is cached. */
    synchronized void replace(K key, V value) {
        Entry<V> entry = entries.get(key);
        if (entry != null) {
            entries.put(key, new Entry<>(value, entry.bytes(), entry.loadedAt()));
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    private void remove(K key) {
        Entry<V> removed = entries.remove(key);
        if (removed != null) {
            bytes -= removed.bytes();
        }
    }
}
