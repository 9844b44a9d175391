package io.pushcore.send.images;

import static io.pushcore.send.images.TestImages.BLUE;
import static io.pushcore.send.images.TestImages.RED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Decoding, caps, scaling and re-encoding of real image bytes. */
class ImageResizerTest {

    final ImageResizer resizer = new ImageResizer(40_000_000);

    @Test
    void fitsAWidePngIconOnATransparent192Square() {
        ProcessedImage icon = resizer.resize(TestImages.png(400, 200), ImageVariant.ICON);

        assertThat(icon.contentType()).isEqualTo("image/png");
        BufferedImage image = TestImages.decode(icon.bytes());
        assertThat(image.getWidth()).isEqualTo(192);
        assertThat(image.getHeight()).isEqualTo(192);
        assertThat(image.getRGB(96, 5) >>> 24).as("band above the picture").isZero();
        assertThat(image.getRGB(10, 96)).as("left half").isEqualTo(RED);
        assertThat(image.getRGB(182, 96)).as("right half").isEqualTo(BLUE);
    }

    @Test
    void makesSmallIcons96Square() {
        ProcessedImage small = resizer.resize(TestImages.jpeg(300, 300), ImageVariant.SMALL_ICON);

        assertThat(small.contentType()).isEqualTo("image/png");
        assertThat(small.width()).isEqualTo(96);
        assertThat(TestImages.decode(small.bytes()).getHeight()).isEqualTo(96);
    }

    @Test
    void shrinksAWideJpegTo1024PixelsKeepingItsAspect() {
        ProcessedImage image = resizer.resize(TestImages.jpeg(3000, 1500), ImageVariant.IMAGE);

        assertThat(image.contentType()).isEqualTo("image/jpeg");
        assertThat(image.extension()).isEqualTo("jpg");
        BufferedImage decoded = TestImages.decode(image.bytes());
        assertThat(decoded.getWidth()).isEqualTo(1024);
        assertThat(decoded.getHeight()).isEqualTo(512);
        assertClose(decoded.getRGB(100, 256), RED);
        assertClose(decoded.getRGB(900, 256), BLUE);
    }

    @Test
    void neverEnlargesAnImage() {
        ProcessedImage image = resizer.resize(TestImages.png(640, 480), ImageVariant.IMAGE);

        assertThat(image.contentType()).as("opaque: JPEG").isEqualTo("image/jpeg");
        assertThat(image.width()).isEqualTo(640);
        assertThat(image.height()).isEqualTo(480);
    }

    @Test
    void keepsImagesWithTransparencyAsPng() {
        ProcessedImage image = resizer.resize(TestImages.transparentPng(2048, 1024), ImageVariant.IMAGE);

        assertThat(image.contentType()).isEqualTo("image/png");
        BufferedImage decoded = TestImages.decode(image.bytes());
        assertThat(decoded.getWidth()).isEqualTo(1024);
        assertThat(decoded.getRGB(500, 100) >>> 24).isZero();
        assertThat(decoded.getRGB(100, 400)).isEqualTo(RED);
    }

    @Test
    void decodesTheFirstFrameOfAnAnimatedGif() {
        ProcessedImage icon = resizer.resize(TestImages.animatedGif(64, 64), ImageVariant.ICON);

        BufferedImage decoded = TestImages.decode(icon.bytes());
        assertThat(decoded.getWidth()).isEqualTo(192);
        assertThat(decoded.getRGB(96, 96)).isEqualTo(RED);
    }

    @Test
    void decodesAStillGif() {
        ProcessedImage image = resizer.resize(TestImages.gif(200, 100), ImageVariant.IMAGE);

        assertThat(image.width()).isEqualTo(200);
        assertThat(image.height()).isEqualTo(100);
    }

    @Test
    void decodesLossyWebP() {
        ProcessedImage image = resizer.resize(TestImages.resource("photo-300x150.webp"), ImageVariant.IMAGE);

        assertThat(image.contentType()).isEqualTo("image/jpeg");
        BufferedImage decoded = TestImages.decode(image.bytes());
        assertThat(decoded.getWidth()).isEqualTo(300);
        assertThat(decoded.getHeight()).isEqualTo(150);
        assertClose(decoded.getRGB(40, 75), RED);
        assertClose(decoded.getRGB(260, 75), BLUE);
    }

    @Test
    void decodesLosslessWebPWithTransparency() {
        ProcessedImage image = resizer.resize(TestImages.resource("alpha-120x80.webp"), ImageVariant.IMAGE);

        assertThat(image.contentType()).isEqualTo("image/png");
        BufferedImage decoded = TestImages.decode(image.bytes());
        assertThat(decoded.getRGB(10, 40) >>> 24).isZero();
        assertThat(decoded.getRGB(100, 40)).isEqualTo(0xFF20A040);
    }

    @Test
    void stripsExifAndCommentsFromJpegs() {
        byte[] input = TestImages.jpegWithMetadata(800, 400, "GPS-51.5N-0.12W");
        assertThat(TestImages.contains(input, "GPS-51.5N-0.12W")).isTrue();

        for (ImageVariant variant : ImageVariant.values()) {
            ProcessedImage output = resizer.resize(input, variant);
            assertThat(TestImages.contains(output.bytes(), "GPS-51.5N-0.12W")).as(variant.name()).isFalse();
            assertThat(TestImages.contains(output.bytes(), "Exif")).as(variant.name()).isFalse();
        }
    }

    @Test
    void stripsTextChunksFromPngs() {
        byte[] input = TestImages.pngWithText(300, 300, "owner=alice@example.com");

        ProcessedImage output = resizer.resize(input, ImageVariant.ICON);

        assertThat(TestImages.contains(output.bytes(), "alice@example.com")).isFalse();
        assertThat(TestImages.contains(output.bytes(), "tEXt")).isFalse();
    }

    @Test
    void refusesA30000By30000PngFromItsHeaderAlone() {
        // 900 megapixels: decoding would need 3.6 GB; the header check refuses it without allocating pixels.
        byte[] bomb = TestImages.pngHeader(30_000, 30_000);
        assertThat(bomb.length).isLessThan(100);

        assertThatThrownBy(() -> resizer.resize(bomb, ImageVariant.IMAGE)).isInstanceOf(ImageRefusedException.class)
                .hasMessage("is 30000x30000 pixels, over the limit of 40000000 pixels");
    }

    @Test
    void acceptsImagesUpToThePixelCap() {
        ImageResizer strict = new ImageResizer(200 * 100);

        assertThat(strict.resize(TestImages.png(200, 100), ImageVariant.ICON).width()).isEqualTo(192);
        assertThatThrownBy(() -> strict.resize(TestImages.png(201, 100), ImageVariant.ICON))
                .hasMessage("is 201x100 pixels, over the limit of 20000 pixels");
    }

    @Test
    void refusesAnHtmlPageNamedPng() {
        byte[] html = "<!doctype html><html><body>Not found</body></html>".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> resizer.resize(html, ImageVariant.ICON)).isInstanceOf(ImageRefusedException.class)
                .hasMessage("is not a PNG, JPEG, GIF, WebP or SVG image");
    }

    @Test
    void drawsAnSvgIconAtTheIconSizeAndAnSvgImageAtItsOwnSize() {
        byte[] svg = TestImages.svg(200, 100, "<rect width=\"100\" height=\"100\" fill=\"#D02020\"/>"
                + "<rect x=\"100\" width=\"100\" height=\"100\" fill=\"#2040D0\"/>");

        ProcessedImage icon = resizer.resize(svg, ImageVariant.ICON);
        ProcessedImage image = resizer.resize(svg, ImageVariant.IMAGE);

        assertThat(icon.contentType()).isEqualTo("image/png");
        BufferedImage decodedIcon = TestImages.decode(icon.bytes());
        assertThat(decodedIcon.getWidth()).isEqualTo(192);
        assertThat(decodedIcon.getHeight()).isEqualTo(192);
        assertThat(decodedIcon.getRGB(96, 5) >>> 24).as("band above the picture").isZero();
        assertThat(decodedIcon.getRGB(10, 96)).isEqualTo(RED);
        assertThat(decodedIcon.getRGB(182, 96)).isEqualTo(BLUE);
        assertThat(image.contentType()).as("opaque: JPEG").isEqualTo("image/jpeg");
        assertThat(image.width()).isEqualTo(200);
        assertThat(image.height()).isEqualTo(100);
    }

    @Test
    void refusesATruncatedImage() {
        byte[] png = TestImages.png(100, 100);
        byte[] truncated = java.util.Arrays.copyOf(png, 40);

        assertThatThrownBy(() -> resizer.resize(truncated, ImageVariant.ICON)).isInstanceOf(
                ImageRefusedException.class).hasMessage("could not be decoded as PNG");
    }

    @Test
    void subsamplesOnlyWhenFarLargerThanNeeded() {
        assertThat(ImageResizer.subsampling(1024, 768, ImageVariant.IMAGE)).isEqualTo(1);
        assertThat(ImageResizer.subsampling(4096, 2048, ImageVariant.IMAGE)).isEqualTo(2);
        assertThat(ImageResizer.subsampling(6000, 4000, ImageVariant.ICON)).isEqualTo(15);
    }

    @Test
    void turnsPhotosUprightByTheirExifOrientation() {
        // Left half red, right half blue; orientation 6 means "rotate 90° clockwise to display".
        ProcessedImage turned = resizer.resize(TestImages.jpegWithOrientation(2400, 1200, 6, true),
                ImageVariant.IMAGE);

        BufferedImage decoded = TestImages.decode(turned.bytes());
        assertThat(decoded.getWidth()).isEqualTo(1024);
        assertThat(decoded.getHeight()).isEqualTo(2048);
        assertClose(decoded.getRGB(512, 200), RED);
        assertClose(decoded.getRGB(512, 1800), BLUE);
    }

    @Test
    void readsIntelByteOrderExifAndUpsideDownPhotos() {
        ProcessedImage turned = resizer.resize(TestImages.jpegWithOrientation(400, 200, 3, false), ImageVariant.IMAGE);

        BufferedImage decoded = TestImages.decode(turned.bytes());
        assertThat(decoded.getWidth()).isEqualTo(400);
        assertClose(decoded.getRGB(40, 100), BLUE);
        assertClose(decoded.getRGB(360, 100), RED);
    }

    @Test
    void ignoresAnUnreadableExifBlock() {
        byte[] jpeg = TestImages.jpegWithMetadata(300, 100, "not-a-tiff-header");

        assertThat(resizer.resize(jpeg, ImageVariant.IMAGE).width()).isEqualTo(300);
    }

    private static void assertClose(int actual, int expected) {
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat(Math.abs((actual >> shift & 0xFF) - (expected >> shift & 0xFF))).as("channel at bit " + shift)
                    .isLessThanOrEqualTo(24);
        }
    }
}
