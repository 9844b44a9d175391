package io.pushcore.send.images;

import java.util.Arrays;
import java.util.Optional;

/**
 * The input formats the pipeline decodes, recognised by their first bytes (an SVG by its first element); the
 * Content-Type header is ignored.
 */
enum ImageFormat {

    PNG("png"),
    JPEG("jpeg"),
    GIF("gif"),
    WEBP("webp"),
    /** Drawn by {@link SvgRasterizer}, not decoded by ImageIO. */
    SVG(null);

    private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

    /** The ImageIO format name whose reader decodes it; null for SVG. */
    final String readerName;

    ImageFormat(String readerName) {
        this.readerName = readerName;
    }

    static Optional<ImageFormat> sniff(byte[] bytes) {
        if (startsWith(bytes, 0, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, 0, ascii("GIF87a")) || startsWith(bytes, 0, ascii("GIF89a"))) {
            return Optional.of(GIF);
        }
        if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) {
            return Optional.of(WEBP);
        }
        if (SvgRasterizer.sniff(bytes)) {
            return Optional.of(SVG);
        }
        return Optional.empty();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        return bytes.length >= offset + prefix.length
                && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
    }
}
