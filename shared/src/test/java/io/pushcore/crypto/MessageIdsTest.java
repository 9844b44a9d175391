package io.pushcore.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class MessageIdsTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

    private final MessageIds ids = new MessageIds(KEY);
    private final UUID context = UUID.randomUUID();

    @Test
    void mintsVersion8UuidsWithRfc9562Variant() {
        UUID id = ids.mint(context);

        assertThat(id.version()).isEqualTo(8);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void verifiesIdsItMinted() {
        assertThat(IntStream.range(0, 1000).mapToObj(i -> ids.mint(context))).allMatch(id -> ids.verify(context, id));
    }

    @Test
    void mintsDistinctIdsForOneContext() {
        Set<UUID> seen = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> seen.add(ids.mint(context)));

        assertThat(seen).hasSize(10_000);
    }

    @Test
    void refusesAnIdMintedForAnotherContext() {
        UUID id = ids.mint(context);

        assertThat(ids.verify(UUID.randomUUID(), id)).isFalse();
    }

    @Test
    void refusesAnIdWithAnyFlippedBit() {
        UUID id = ids.mint(context);
        for (int bit = 0; bit < 64; bit++) {
            UUID high = new UUID(id.getMostSignificantBits() ^ (1L << bit), id.getLeastSignificantBits());
            UUID low = new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits() ^ (1L << bit));
            assertThat(ids.verify(context, high)).as("msb bit %d", bit).isFalse();
            assertThat(ids.verify(context, low)).as("lsb bit %d", bit).isFalse();
        }
    }

    @Test
    void refusesARandomVersion4Uuid() {
        assertThat(ids.verify(context, UUID.randomUUID())).isFalse();
    }

    @Test
    void refusesIdsMintedUnderAnotherKey() {
        MessageIds other = new MessageIds("another key of at least 32 bytes!".getBytes());

        assertThat(ids.verify(context, other.mint(context))).isFalse();
    }

    @Test
    void verifiesAnIdParsedBackFromUpperCaseText() {
        UUID id = ids.mint(context);
        UUID parsed = UUID.fromString(id.toString().toUpperCase(Locale.ROOT));

        assertThat(ids.verify(context, parsed)).isTrue();
    }

    @Test
    void refusesKeysShorterThan32Bytes() {
        assertThatThrownBy(() -> new MessageIds(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isSafeToUseFromManyThreads() throws Exception {
        try (var executor = Executors.newFixedThreadPool(8)) {
            var futures = IntStream.range(0, 8).mapToObj(i -> executor.submit(() -> IntStream.range(0, 2000)
                    .allMatch(n -> ids.verify(context, ids.mint(context))))).toList();
            for (var future : futures) {
                assertThat(future.get()).isTrue();
            }
        }
    }
}
