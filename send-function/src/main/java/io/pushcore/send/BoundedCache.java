package io.pushcore.send;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** A small thread-safe LRU map for what a warm function keeps between requests; evicted values go to a callback. */
public final class BoundedCache<K, V> {

    private final Map<K, V> entries;

    public BoundedCache(int maxEntries, Consumer<V> onEvict) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                if (size() > maxEntries) {
                    onEvict.accept(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    public synchronized V get(K key) {
        return entries.get(key);
    }

    public synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    public synchronized V computeIfAbsent(K key, Function<K, V> create) {
        return entries.computeIfAbsent(key, create);
    }

    /** Removes and returns every value, without calling the eviction callback. */
    public synchronized List<V> drain() {
        List<V> values = new ArrayList<>(entries.values());
        entries.clear();
        return values;
    }
}
