package io.pushcore.send.images;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The EXIF orientation of a JPEG (TIFF tag 0x0112), applied to the pixels before the metadata is dropped; otherwise
 * phone photos, stored sideways with a "rotate me" tag, would come out sideways.
 */
final class ExifOrientation {

    static final int NORMAL = 1;

    private ExifOrientation() {
    }

    /** 1–8 from the first APP1 Exif segment before the image data, or {@link #NORMAL} when absent or unreadable. */
    static int of(byte[] jpeg) {
        try {
            int at = 2;
            while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
                int marker = jpeg[at + 1] & 0xFF;
                if (marker == 0xDA || marker == 0xD9) {
                    break;
                }
                int length = (jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF;
                if (marker == 0xE1 && length >= 8 && at + 2 + length <= jpeg.length
                        && new String(jpeg, at + 4, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                    return fromTiff(ByteBuffer.wrap(jpeg, at + 10, length - 8).slice());
                }
                at += 2 + length;
            }
        } catch (RuntimeException malformed) {
            // A broken EXIF block is not worth refusing the image over.
        }
        return NORMAL;
    }

    private static int fromTiff(ByteBuffer tiff) {
        tiff.order(tiff.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd = tiff.getInt(4);
        int entries = tiff.getShort(ifd) & 0xFFFF;
        for (int i = 0; i < entries; i++) {
            int entry = ifd + 2 + 12 * i;
            if ((tiff.getShort(entry) & 0xFFFF) == 0x0112) {
                int value = tiff.getShort(entry + 8) & 0xFFFF;
                return value >= 1 && value <= 8 ? value : NORMAL;
            }
        }
        return NORMAL;
    }

    /** Orientations 5–8 turn the picture a quarter: width and height swap. */
    static boolean swapsSides(int orientation) {
        return orientation >= 5;
    }

    static BufferedImage apply(BufferedImage image, int orientation) {
        int w = image.getWidth();
        int h = image.getHeight();
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);
            default -> null;
        };
        if (t == null) {
            return image;
        }
        BufferedImage turned = swapsSides(orientation) ? new BufferedImage(h, w, BufferedImage.TYPE_INT_ARGB)
                : new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = turned.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(image, t, null);
        } finally {
            g.dispose();
        }
        return turned;
    }
}
