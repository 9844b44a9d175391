package io.pushcore.aggregator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The route cache's bounds: bytes, not entries; least recently used out first; the time to live. */
class ByteBoundedCacheTest {

    static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

    @Test
    void holdsNoMoreBytesThanItsBoundHoweverManyEntries() {
        ByteBoundedCache<Integer, String> cache = new ByteBoundedCache<>(10_000, Duration.ofMinutes(5));
        for (int i = 0; i < 1000; i++) {
            cache.put(i, "route " + i, 1_000, NOW);
            assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
        }
        assertThat(cache.size()).isEqualTo(10);
        assertThat(cache.get(999, NOW)).isEqualTo("route 999");
        assertThat(cache.get(0, NOW)).isNull();
    }

    @Test
    void evictsTheLeastRecentlyUsed() {
        ByteBoundedCache<Integer, String> cache = new ByteBoundedCache<>(4_000, Duration.ofMinutes(5));
        for (int i = 1; i <= 4; i++) {
            cache.put(i, "route " + i, 1_000, NOW);
        }
        cache.get(1, NOW);

        cache.put(5, "route 5", 1_000, NOW);

        assertThat(cache.get(2, NOW)).isNull();
        assertThat(cache.get(1, NOW)).isEqualTo("route 1");
        assertThat(cache.bytes()).isEqualTo(4_000);
    }

    @Test
    void keepsNoValueHeavierThanAQuarterOfTheBound() {
        ByteBoundedCache<Integer, String> cache = new ByteBoundedCache<>(4_000, Duration.ofMinutes(5));
        cache.put(1, "small", 1_000, NOW);

        cache.put(2, "huge", 1_001, NOW);

        assertThat(cache.get(2, NOW)).isNull();
        assertThat(cache.get(1, NOW)).isEqualTo("small");
    }

    @Test
    void forgetsAValueAfterItsTimeToLiveAndGivesBackItsBytes() {
        ByteBoundedCache<Integer, String> cache = new ByteBoundedCache<>(4_000, Duration.ofMinutes(5));
        cache.put(1, "a", 1_000, NOW);

        assertThat(cache.get(1, NOW.plus(Duration.ofMinutes(4)))).isEqualTo("a");
        assertThat(cache.get(1, NOW.plus(Duration.ofMinutes(5)))).isNull();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void replacingKeepsWeightAndLoadTime() {
        ByteBoundedCache<Integer, String> cache = new ByteBoundedCache<>(4_000, Duration.ofMinutes(5));
        cache.put(1, "enabled", 1_000, NOW);

        cache.replace(1, "disabled");
        cache.replace(2, "absent");

        assertThat(cache.get(1, NOW)).isEqualTo("disabled");
        assertThat(cache.get(2, NOW)).isNull();
        assertThat(cache.bytes()).isEqualTo(1_000);
    }
}
