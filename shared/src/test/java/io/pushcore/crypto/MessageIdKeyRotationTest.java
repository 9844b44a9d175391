package io.pushcore.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.stream.IntStream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/** Message ids under a {@link KeyRing}: mint with the old key, rotate, verify; retire, refused. */
class MessageIdKeyRotationTest {

    private static final byte[] A = "key A of at least thirty-two bytes".getBytes();
    private static final byte[] B = "key B of at least thirty-two bytes".getBytes();

    private final UUID context = UUID.randomUUID();
    private final KeyRing ringA = KeyRing.of(1, A);
    private final KeyRing ringAB = ringA.with(2, B).activate(2);

    @Test
    void theFirstHexDigitNamesTheActiveKey() {
        UUID id = new MessageIds(ringAB).mint(context);

        assertThat(MessageIds.keyId(id)).isEqualTo(2);
        assertThat(id.toString()).startsWith("2");
        assertThat(id.version()).isEqualTo(8);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void idsMintedBeforeTheRotationVerifyAfterItUntilTheirKeyIsRetired() {
        UUID old = new MessageIds(ringA).mint(context);
        MessageIds rotated = new MessageIds(ringAB);
        UUID fresh = rotated.mint(context);

        assertThat(rotated.verify(context, old)).isTrue();
        assertThat(rotated.verify(context, fresh)).isTrue();
        assertThat(new MessageIds(ringA.with(2, B)).verify(context, fresh)).as("new key added, not yet active")
                .isTrue();
        MessageIds retired = new MessageIds(ringAB.without(1));
        assertThat(retired.verify(context, old)).isFalse();
        assertThat(retired.verify(context, fresh)).isTrue();
    }

    @Test
    void theKeyIdIsCoveredByTheMac() {
        // two ids for the same key bytes under different ids: rewriting the id's key digit breaks it
        MessageIds sameBytes = new MessageIds(KeyRing.of(1, A).with(2, A));
        UUID id = sameBytes.mint(context);
        UUID renamed = new UUID(id.getMostSignificantBits() ^ (3L << 60), id.getLeastSignificantBits());

        assertThat(MessageIds.keyId(renamed)).isEqualTo(2);
        assertThat(sameBytes.verify(context, renamed)).isFalse();
    }

    @Test
    void idsMintedBeforeKeyIdsVerifyAgainstKeyZeroWhateverTheirFirstDigit() throws Exception {
        MessageIds ring = new MessageIds(KeyRing.of(A).with(5, B).activate(5));
        MessageIds withoutZero = new MessageIds(KeyRing.of(5, B));
        for (int i = 0; i < 200; i++) {
            UUID legacy = mintBeforeKeyIds(A, context);
            assertThat(ring.verify(context, legacy)).as("%s", legacy).isTrue();
            assertThat(withoutZero.verify(context, legacy)).as("%s", legacy).isFalse();
        }
    }

    @Test
    void mintsDistinctIdsUnderARing() {
        MessageIds ids = new MessageIds(ringAB);

        assertThat(IntStream.range(0, 10_000).mapToObj(i -> ids.mint(context)).distinct()).hasSize(10_000);
    }

    /** An id exactly as pushcore minted it before key ids: 60 random bits around the version nibble. */
    private static UUID mintBeforeKeyIds(byte[] key, UUID contextId) throws Exception {
        long msb = (new SecureRandom().nextLong() & ~0xF000L) | 0x8000L;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] input = ByteBuffer.allocate(24).putLong(contextId.getMostSignificantBits())
                .putLong(contextId.getLeastSignificantBits()).putLong(msb).array();
        long tag = ByteBuffer.wrap(mac.doFinal(input)).getLong() >>> 2;
        return new UUID(msb, 0x8000_0000_0000_0000L | tag);
    }
}
