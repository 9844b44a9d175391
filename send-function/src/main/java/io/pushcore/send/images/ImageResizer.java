package io.pushcore.send.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;

/**
 * Turns downloaded bytes into one {@link ImageVariant}: the format sniffed from the bytes, the dimensions read from
 * the header and checked against the pixel cap before any pixel is decoded, the first frame decoded (subsampled when
 * far larger than needed), scaled, and re-encoded without any metadata: PNG for icons and for images with
 * transparency, JPEG otherwise. An SVG is drawn by {@link SvgRasterizer} at the variant's size instead of decoded and
 * scaled. Thread-safe.
 */
public final class ImageResizer {

    static {
        // No display on Lambda; must be set before the first AWT class initialises.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        ImageIO.setUseCache(false);
        // Registered by hand rather than found by ImageIO's ServiceLoader scan: that scan depends on the context
        // class loader of whoever touches ImageIO first, and Quarkus native images do not register services.
        IIORegistry.getDefaultInstance().registerServiceProvider(new WebPImageReaderSpi(), ImageReaderSpi.class);
    }

    private static final float JPEG_QUALITY = 0.85f;

    private final long maxPixels;
    private final SvgRasterizer svg;

    public ImageResizer(long maxPixels) {
        this(maxPixels, new SvgRasterizer());
    }

    ImageResizer(long maxPixels, SvgRasterizer svg) {
        this.maxPixels = maxPixels;
        this.svg = svg;
    }

    /** @throws ImageRefusedException when the bytes are not a supported image, too many pixels, or undecodable */
    public ProcessedImage resize(byte[] bytes, ImageVariant variant) {
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(
                () -> new ImageRefusedException("is not a PNG, JPEG, GIF, WebP or SVG image"));
        BufferedImage decoded;
        if (format == ImageFormat.SVG) {
            decoded = svg.render(bytes, variant.maxWidth(), variant.maxHeight(), variant.isSquare());
        } else {
            int orientation = format == ImageFormat.JPEG ? ExifOrientation.of(bytes) : ExifOrientation.NORMAL;
            decoded = ExifOrientation.apply(decode(bytes, format, variant, orientation), orientation);
        }
        BufferedImage scaled = variant.isSquare() ? fitOnSquare(decoded, variant.maxWidth())
                : fitWithin(decoded, variant.maxWidth(), variant.maxHeight());
        boolean png = variant.isSquare() || decoded.getColorModel().hasAlpha() && hasTransparency(scaled);
        byte[] encoded = png ? png(scaled) : jpeg(scaled);
        return new ProcessedImage(encoded, png ? "image/png" : "image/jpeg", png ? "png" : "jpg", scaled.getWidth(),
                scaled.getHeight(), variant);
    }

    private BufferedImage decode(byte[] bytes, ImageFormat format, ImageVariant variant, int orientation) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.readerName);
        if (!readers.hasNext()) {
            throw new ImageRefusedException("is a " + format + " image, which this server cannot decode");
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            // Header only: nothing is allocated for pixels until the size is known to be acceptable.
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new ImageRefusedException("could not be decoded: it has no pixels");
            }
            if ((long) width * height > maxPixels) {
                throw new ImageRefusedException("is " + width + "x" + height + " pixels, over the limit of "
                        + maxPixels + " pixels");
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int step = ExifOrientation.swapsSides(orientation) ? subsampling(height, width, variant)
                    : subsampling(width, height, variant);
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage image = reader.read(0, param);
            if (image == null) {
                throw new ImageRefusedException("could not be decoded");
            }
            return image;
        } catch (ImageRefusedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Decoders signal malformed input with IIOException and assorted runtime exceptions alike.
            throw new ImageRefusedException("could not be decoded as " + format);
        } finally {
            reader.dispose();
        }
    }

    /** Point subsampling while decoding, keeping at least twice the target size so the smooth scale still has data. */
    static int subsampling(int width, int height, ImageVariant variant) {
        double scale = scale(width, height, variant);
        return scale >= 1 ? 1 : Math.max(1, (int) Math.floor(1 / (2 * scale)));
    }

    private static double scale(int width, int height, ImageVariant variant) {
        return Math.min((double) variant.maxWidth() / width, (double) variant.maxHeight() / height);
    }

    private static BufferedImage fitOnSquare(BufferedImage source, int size) {
        double scale = Math.min((double) size / source.getWidth(), (double) size / source.getHeight());
        int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
        BufferedImage scaled = scale(source, width, height);
        BufferedImage square = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = square.createGraphics();
        try {
            g.drawImage(scaled, (size - width) / 2, (size - height) / 2, null);
        } finally {
            g.dispose();
        }
        return square;
    }

    private static BufferedImage fitWithin(BufferedImage source, int maxWidth, int maxHeight) {
        double scale = Math.min(1, Math.min((double) maxWidth / source.getWidth(),
                (double) maxHeight / source.getHeight()));
        int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
        return scale(source, width, height);
    }

    /**
     * Halves with bilinear filtering while more than twice too large, then one last step: smooth enough without an
     * area filter, and fast (Java2D's bicubic is several times slower, so it is used only to enlarge small icons).
     */
    private static BufferedImage scale(BufferedImage source, int width, int height) {
        if (source.getWidth() == width && source.getHeight() == height) {
            return source;
        }
        BufferedImage current = source;
        int w = current.getWidth();
        int h = current.getHeight();
        while (w / 2 >= width && h / 2 >= height) {
            w /= 2;
            h /= 2;
            current = draw(current, w, h, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (w != width || h != height) {
            boolean enlarging = width > w || height > h;
            current = draw(current, width, height, enlarging ? RenderingHints.VALUE_INTERPOLATION_BICUBIC
                    : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        return current;
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, Object interpolation) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    private static boolean hasTransparency(BufferedImage argb) {
        int[] row = new int[argb.getWidth()];
        for (int y = 0; y < argb.getHeight(); y++) {
            argb.getRGB(0, y, row.length, 1, row, 0, row.length);
            for (int pixel : row) {
                if (pixel >>> 24 != 0xFF) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed", e);
        }
        return out.toByteArray();
    }

    private static byte[] jpeg(BufferedImage argb) {
        BufferedImage rgb = new BufferedImage(argb.getWidth(), argb.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(argb, 0, 0, Color.WHITE, null);
        } finally {
            g.dispose();
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
