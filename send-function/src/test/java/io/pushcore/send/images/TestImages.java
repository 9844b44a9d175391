package io.pushcore.send.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Images made in the test: real encoders for ordinary files, hand-built bytes for hostile ones. */
final class TestImages {

    static final int RED = 0xFFD02020;
    static final int BLUE = 0xFF2040D0;

    private TestImages() {
    }

    /** Left half red, right half blue; fully opaque, or with a transparent top half. */
    static BufferedImage picture(int width, int height, boolean transparentTop) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, transparentTop && y < height / 2 ? 0 : x < width / 2 ? RED : BLUE);
            }
        }
        return image;
    }

    /** An SVG document of {@code width}×{@code height} user units around {@code content}. */
    static byte[] svg(int width, int height, String content) {
        return ("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\""
                + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height + "\">" + content
                + "</svg>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] png(int width, int height) {
        return encode(picture(width, height, false), "png");
    }

    static byte[] transparentPng(int width, int height) {
        return encode(picture(width, height, true), "png");
    }

    static byte[] jpeg(int width, int height) {
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(picture(width, height, false), 0, 0, null);
        return encode(rgb, "jpeg");
    }

    static byte[] gif(int width, int height) {
        return encode(picture(width, height, false), "gif");
    }

    /** A two-frame GIF: a red first frame and a blue second one. */
    static byte[] animatedGif(int width, int height) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (int color : new int[] { RED, BLUE }) {
                BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        frame.setRGB(x, y, color);
                    }
                }
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static byte[] resource(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JPEG carrying an EXIF block and a comment with {@code marker} in both. */
    static byte[] jpegWithMetadata(int width, int height, String marker) {
        byte[] jpeg = jpeg(width, height);
        byte[] exif = concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), ("II*\0" + marker).getBytes(
                StandardCharsets.ISO_8859_1));
        byte[] comment = marker.getBytes(StandardCharsets.ISO_8859_1);
        return concat(slice(jpeg, 0, 2), segment(0xE1, exif), segment(0xFE, comment), slice(jpeg, 2, jpeg.length));
    }

    /** A JPEG whose EXIF says to turn it ({@code orientation} 1–8), in Motorola or Intel byte order. */
    static byte[] jpegWithOrientation(int width, int height, int orientation, boolean bigEndian) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4)
                .order(bigEndian ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
        tiff.put(bigEndian ? (byte) 'M' : (byte) 'I').put(bigEndian ? (byte) 'M' : (byte) 'I').putShort((short) 42)
                .putInt(8).putShort((short) 1)
                .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0)
                .putInt(0);
        byte[] jpeg = jpeg(width, height);
        return concat(slice(jpeg, 0, 2), segment(0xE1, concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1),
                tiff.array())), slice(jpeg, 2, jpeg.length));
    }

    /** A PNG with a tEXt chunk holding {@code marker}, right after IHDR. */
    static byte[] pngWithText(int width, int height, String marker) {
        byte[] png = png(width, height);
        int afterHeader = 8 + 4 + 4 + 13 + 4;
        byte[] text = concat("Comment\0".getBytes(StandardCharsets.ISO_8859_1),
                marker.getBytes(StandardCharsets.ISO_8859_1));
        return concat(slice(png, 0, afterHeader), chunk("tEXt", text), slice(png, afterHeader, png.length));
    }

    /** Signature and an IHDR claiming {@code width}×{@code height} RGBA, a tiny IDAT and IEND: no real pixels. */
    static byte[] pngHeader(int width, int height) {
        byte[] header = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 6)
                .put((byte) 0).put((byte) 0).put((byte) 0).array();
        byte[] signature = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
        return concat(signature, chunk("IHDR", header), chunk("IDAT", new byte[] { 0x78, 0x01, 0x03, 0, 0, 0, 0, 1 }),
                chunk("IEND", new byte[0]));
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] segment(int marker, byte[] payload) {
        int length = payload.length + 2;
        return concat(new byte[] { (byte) 0xFF, (byte) marker, (byte) (length >> 8), (byte) length }, payload);
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return concat(ByteBuffer.allocate(4).putInt(data.length).array(), typeBytes, data,
                ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
