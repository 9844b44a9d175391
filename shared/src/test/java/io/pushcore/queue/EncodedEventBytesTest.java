package io.pushcore.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.pushcore.model.Event;
import io.pushcore.model.EventKind;

/** {@link QueueCodec#encodedEventBytes} against {@code encodeEvent(..).length}, on seeded random and adversarial events. */
class EncodedEventBytesTest {

    /** Characters that each take a different path through Jackson's escaping and UTF-8 writing. */
    static final char[] SPECIAL = {'"', '\\', '/', '\b', '\t', '\n', '\f', '\r', 0, 1, 0x1f, 0x7f, 0x80, 0xe9, 0x7ff,
            0x800, 0x2028, 0xfeff, 0xfffd, 0xffff, 0xd800, 0xdbff, 0xdc00, 0xdfff};

    @Test
    void encodedEventBytesEqualsTheEncodedLength() {
        Random random = new Random(20261129L);
        for (int i = 0; i < 20_000; i++) {
            Event event = randomEvent(random);
            assertThat(QueueCodec.encodedEventBytes(event)).as("event %s", event)
                    .isEqualTo(QueueCodec.encodeEvent(event).length);
        }
    }

    @Test
    void encodedEventBytesCountsEachEscapeAndEncoding() {
        List<String> texts = new ArrayList<>(List.of("", "plain", "\uD83D\uDE00", "a\uD83D", "\uDE00b", "\uDE00\uD83D",
                "\u0000\u001f\u007f", "\"\\/"));
        for (char c : SPECIAL) {
            texts.add(String.valueOf(c));
        }
        for (String text : texts) {
            for (long ts : new long[] {0, 9, 10, -1, -10, Long.MAX_VALUE, Long.MIN_VALUE, 1_685_009_020_243L}) {
                Event event = new Event(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), text,
                        EventKind.CLICKED, text, text, Instant.ofEpochMilli(ts));
                assertThat(QueueCodec.encodedEventBytes(event)).as("text %s, ts %d", escape(text), ts)
                        .isEqualTo(QueueCodec.encodeEvent(event).length);
            }
        }
    }

    static Event randomEvent(Random random) {
        EventKind[] kinds = EventKind.values();
        return new Event(new UUID(random.nextLong(), random.nextLong()), new UUID(random.nextLong(), random.nextLong()),
                random.nextBoolean() ? null : new UUID(random.nextLong(), random.nextLong()),
                random.nextInt(4) == 0 ? null : randomText(random), kinds[random.nextInt(kinds.length)],
                random.nextInt(3) == 0 ? null : randomText(random), random.nextInt(3) == 0 ? null : randomText(random),
                Instant.ofEpochMilli(randomLong(random)));
    }

    static long randomLong(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextLong();
            case 1 -> (long) random.nextInt(2_000) - 1_000;
            case 2 -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1}[random.nextInt(4)];
            default -> 1_600_000_000_000L + random.nextInt(1_000_000_000);
        };
    }

    /** Up to 40 characters mixing ASCII, escaped characters, 2- and 3-byte UTF-8, surrogate pairs and lone ones. */
    static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(40); n > 0; n--) {
            switch (random.nextInt(6)) {
                case 0 -> text.append((char) (0x20 + random.nextInt(0x5f)));
                case 1 -> text.append(SPECIAL[random.nextInt(SPECIAL.length)]);
                case 2 -> text.append((char) random.nextInt(0x800));
                case 3 -> text.append((char) random.nextInt(0x10000)); // includes lone surrogates
                case 4 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
                default -> text.append((char) random.nextInt(0x20));
            }
        }
        return text.toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c)
                : String.valueOf((char) c)));
        return out.toString();
    }
}
