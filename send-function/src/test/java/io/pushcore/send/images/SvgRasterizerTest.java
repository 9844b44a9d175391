package io.pushcore.send.images;

import static io.pushcore.send.images.TestImages.svg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SVG drawing: what is drawn, what is never fetched or read (an origin on 127.0.0.1 counts every request an SVG
 * could cause), and the caps on its cost.
 */
class SvgRasterizerTest {

    static FakeImageServer origin;
    final SvgRasterizer rasterizer = new SvgRasterizer();

    @BeforeAll
    static void start() throws Exception {
        origin = new FakeImageServer();
        origin.serve("/pixel.png", TestImages.png(8, 8), "image/png");
        origin.serve("/other.svg", svg(10, 10, "<rect id=\"r\" width=\"10\" height=\"10\" fill=\"red\"/>"),
                "image/svg+xml");
        origin.serve("/style.css", "rect { fill: red; }".getBytes(StandardCharsets.UTF_8), "text/css");
        origin.serve("/script.js", "alert(1)".getBytes(StandardCharsets.UTF_8), "text/javascript");
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    /** The shape of placehold.co's answer for {@code https://placehold.co/64}, which CORE's README uses. */
    static byte[] placeholder() {
        return ("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\" viewBox=\"0 0 64 64\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#DDDDDD\"/>"
                + "<text x=\"50%\" y=\"50%\" dominant-baseline=\"middle\" text-anchor=\"middle\""
                + " font-family=\"sans-serif\" font-size=\"12\" fill=\"#999999\">64x64</text></svg>")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void recognisesSvgByItsFirstElement() {
        assertThat(SvgRasterizer.sniff(placeholder())).isTrue();
        assertThat(SvgRasterizer.sniff(("\uFEFF<?xml version=\"1.0\"?>\n<!-- made by hand -->\n"
                + "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n"
                + " \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">"
                + "\n<svg/>").getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(SvgRasterizer.sniff("<!DOCTYPE svg [<!ENTITY a \"b>\">]><svg>".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(SvgRasterizer.sniff("<!doctype html><html><svg/></html>".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(SvgRasterizer.sniff("<svgx/>".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(SvgRasterizer.sniff(new byte[] { 0x1f, (byte) 0x8b, 8, 0 })).as("svgz").isFalse();
        assertThat(ImageFormat.sniff(placeholder())).hasValue(ImageFormat.SVG);
    }

    @Test
    void drawsThePlaceholderAtTheRequestedSizeWithItsText() {
        BufferedImage image = rasterizer.render(placeholder(), 192, 192, true);

        assertThat(image.getWidth()).isEqualTo(192);
        assertThat(image.getHeight()).isEqualTo(192);
        assertThat(image.getRGB(5, 5)).isEqualTo(0xFFDDDDDD);
        assertThat(count(image, 0xFF999999)).as("pixels of the text").isPositive();
    }

    @Test
    void takesItsSizeFromTheViewBoxAndNeverEnlargesWhenNotAsked() {
        byte[] viewBoxOnly = ("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 150\">"
                + "<rect width=\"300\" height=\"150\" fill=\"#2040D0\"/></svg>").getBytes(StandardCharsets.UTF_8);

        BufferedImage image = rasterizer.render(viewBoxOnly, 1024, 4096, false);
        BufferedImage icon = rasterizer.render(viewBoxOnly, 96, 96, true);

        assertThat(image.getWidth()).isEqualTo(300);
        assertThat(image.getHeight()).isEqualTo(150);
        assertThat(icon.getWidth()).isEqualTo(96);
        assertThat(icon.getHeight()).isEqualTo(48);
        assertThat(icon.getRGB(48, 24)).isEqualTo(TestImages.BLUE);
    }

    @Test
    void scalesAnSvgWithoutViewBoxToo() {
        BufferedImage image = rasterizer.render(("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
                + "<rect x=\"5\" width=\"5\" height=\"10\" fill=\"#D02020\"/></svg>").getBytes(StandardCharsets.UTF_8),
                100, 100, true);

        assertThat(image.getRGB(25, 50) >>> 24).isZero();
        assertThat(image.getRGB(75, 50)).isEqualTo(TestImages.RED);
    }

    @Test
    void neverFetchesAnythingAnSvgReferences() {
        String u = origin.url("");
        byte[] hostile = ("<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/css\" href=\"" + u + "/style.css\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
                + " width=\"40\" height=\"40\">"
                + "<style>@import url(" + u + "/style.css); @font-face { font-family: x; src: url(" + u
                + "/font.woff) }</style>"
                + "<script xlink:href=\"" + u + "/script.js\"/><script>fetch('" + u + "/script.js')</script>"
                + "<image href=\"" + u + "/pixel.png\" width=\"40\" height=\"40\"/>"
                + "<image xlink:href=\"" + u + "/pixel.png?xlink\" width=\"40\" height=\"40\"/>"
                + "<image href=\"file:///etc/passwd\" width=\"40\" height=\"40\"/>"
                + "<use href=\"" + u + "/other.svg#r\"/><use xlink:href=\"" + u + "/other.svg#r\"/>"
                + "<rect width=\"40\" height=\"40\" fill=\"url(" + u + "/other.svg#g)\""
                + " style=\"fill: url(" + u + "/other.svg#g)\" filter=\"url(" + u + "/other.svg#f)\"/>"
                + "<filter id=\"f\"><feImage href=\"" + u + "/pixel.png?fe\"/></filter>"
                + "<rect width=\"10\" height=\"10\" fill=\"#D02020\" filter=\"url(#f)\"/>"
                + "<a href=\"" + u + "/link\"><rect x=\"20\" width=\"10\" height=\"10\" fill=\"#2040D0\"/></a>"
                + "</svg>").getBytes(StandardCharsets.UTF_8);

        BufferedImage image = rasterizer.render(hostile, 40, 40, false);

        assertThat(origin.totalHits()).as("requests the SVG caused").isZero();
        assertThat(image.getRGB(5, 5)).as("drawn without its filter").isEqualTo(TestImages.RED);
        assertThat(image.getRGB(25, 5)).as("a link's content is drawn").isEqualTo(TestImages.BLUE);
        assertThat(image.getRGB(35, 35) >>> 24).as("no image, no external use, no external paint").isZero();
    }

    @Test
    void neverReadsExternalEntities(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "WWWWWWWWWWWWWWWWWWWW");
        String withEntities = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n"
                + "  <!ENTITY file SYSTEM \"" + secret.toUri() + "\">\n"
                + "  <!ENTITY remote SYSTEM \"" + origin.url("/entity") + "\">\n"
                + "  <!ENTITY % parameter SYSTEM \"" + origin.url("/dtd") + "\"> %parameter;\n]>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"40\">"
                + "<rect width=\"200\" height=\"40\" fill=\"#FFFFFF\"/>"
                + "<text x=\"0\" y=\"30\" font-size=\"30\" fill=\"#000000\">&file;&remote;</text></svg>";
        String without = withEntities.replace("&file;&remote;", "");

        BufferedImage withThem = render(withEntities);
        BufferedImage withoutThem = render(without);

        assertThat(origin.totalHits()).isZero();
        assertThat(count(withThem, 0xFFFFFFFF)).as("nothing of the file was drawn")
                .isEqualTo(count(withoutThem, 0xFFFFFFFF)).isEqualTo(200 * 40);
    }

    private BufferedImage render(String svg) {
        return rasterizer.render(svg.getBytes(StandardCharsets.UTF_8), 200, 40, false);
    }

    @Test
    void drawsNoMaskAndNoPattern() {
        byte[] svg = svg(20, 10, "<mask id=\"hide\"><rect width=\"20\" height=\"10\" fill=\"black\"/></mask>"
                + "<pattern id=\"p\" width=\"2\" height=\"2\" patternUnits=\"userSpaceOnUse\">"
                + "<rect width=\"1\" height=\"1\" fill=\"#2040D0\"/></pattern>"
                + "<rect width=\"10\" height=\"10\" fill=\"#D02020\" mask=\"url(#hide)\"/>"
                + "<rect x=\"10\" width=\"10\" height=\"10\" fill=\"url(#p)\"/>");

        BufferedImage image = rasterizer.render(svg, 20, 10, false);

        assertThat(image.getRGB(5, 5)).as("drawn without its mask").isEqualTo(TestImages.RED);
        assertThat(IntStream.range(10, 20).map(x -> image.getRGB(x, 5) >>> 24).sum()).as("pattern").isZero();
    }

    @Test
    void clipsWithSimpleClipPathsAndRefusesComplexOnes() {
        byte[] simple = svg(20, 10, "<clipPath id=\"c\"><rect width=\"10\" height=\"10\"/></clipPath>"
                + "<rect width=\"20\" height=\"10\" fill=\"#D02020\" clip-path=\"url(#c)\"/>");
        String points = IntStream.range(0, 130).mapToObj(i -> (i % 17) + "," + (i % 9))
                .collect(Collectors.joining(" "));
        byte[] complex = svg(20, 10, "<clipPath id=\"c\"><polygon points=\"" + points + "\"/></clipPath>"
                + "<rect width=\"20\" height=\"10\" fill=\"#D02020\" clip-path=\"url(#c)\"/>");
        byte[] complexThroughUse = svg(20, 10, "<defs><polygon id=\"p\" points=\"" + points + "\"/></defs>"
                + "<clipPath id=\"c\"><use href=\"#p\"/></clipPath>"
                + "<rect width=\"20\" height=\"10\" fill=\"#D02020\" clip-path=\"url(#c)\"/>");

        BufferedImage clipped = rasterizer.render(simple, 20, 10, false);

        assertThat(clipped.getRGB(5, 5)).isEqualTo(TestImages.RED);
        assertThat(clipped.getRGB(15, 5) >>> 24).isZero();
        for (byte[] svg : List.of(complex, complexThroughUse)) {
            assertThatThrownBy(() -> rasterizer.render(svg, 20, 10, false)).isInstanceOf(ImageRefusedException.class)
                    .hasMessage("is an SVG whose clip paths are too complex to render");
        }
    }

    @Test
    void refusesAStrokeOfTinyDashesBeforeDrawingIt() {
        // 10 strokes across the canvas in dashes of a thousandth of a pixel: billions of dashes for Java2D
        String lines = IntStream.range(0, 10).mapToObj(i -> "M0 " + i * 100 + " L1024 " + (1000 - i * 100))
                .collect(Collectors.joining(" "));
        byte[] svg = svg(1024, 1024, "<path d=\"" + lines + "\" stroke=\"black\" stroke-dasharray=\"0.001\"/>");

        assertThatThrownBy(() -> rasterizer.render(svg, 1024, 4096, false)).isInstanceOf(ImageRefusedException.class)
                .hasMessage("is an SVG too complex to render");
    }

    @Test
    void refusesAJaggedPathWhoseScanConversionWouldTakeSeconds() {
        Random random = new Random(7);
        String zigzag = IntStream.range(0, 12_000)
                .mapToObj(i -> "L" + random.nextInt(1024) + " " + random.nextInt(1024))
                .collect(Collectors.joining(" "));
        byte[] svg = svg(1024, 1024, "<path d=\"M0 0 " + zigzag + "\" stroke=\"black\" stroke-width=\"3\"/>");
        assertThat(svg.length).isLessThan(SvgRasterizer.MAX_BYTES);

        assertThatThrownBy(() -> rasterizer.render(svg, 1024, 4096, false)).isInstanceOf(ImageRefusedException.class)
                .hasMessage("is an SVG too complex to render");
    }

    @Test
    void chargesEveryLayerToOneBudget() {
        String layers = IntStream.range(0, 200).mapToObj(i -> "<rect width=\"100\" height=\"100\" fill=\"#D02020\"/>")
                .collect(Collectors.joining());
        byte[] svg = svg(100, 100, "<g>" + layers + "</g>");

        // each layer: 10 000 pixels, two edges crossing 100 rows, 4 segments: about 30 000 units; 6 million in all
        assertThat(new SvgRasterizer(7_000_000, Duration.ofSeconds(30)).render(svg, 100, 100, false).getRGB(50, 50))
                .isEqualTo(TestImages.RED);
        assertThatThrownBy(() -> new SvgRasterizer(5_000_000, Duration.ofSeconds(30)).render(svg, 100, 100, false))
                .isInstanceOf(ImageRefusedException.class).hasMessage("is an SVG too complex to render");
    }

    @Test
    void stopsAtTheTimeLimit() {
        SvgRasterizer alreadyLate = new SvgRasterizer(SvgRasterizer.WORK_BUDGET, Duration.ofNanos(-1));

        assertThatThrownBy(() -> alreadyLate.render(placeholder(), 64, 64, false))
                .isInstanceOf(ImageRefusedException.class).hasMessage("is an SVG that could not be rendered in time");
    }

    @Test
    void refusesMoreInstancesThanTheLimitThroughUse() {
        // 10 × 10 × 10 × 10 copies of one rect: small to send, 10 000 shapes to draw
        byte[] svg = svg(10, 10, "<defs><rect id=\"a\" width=\"1\" height=\"1\"/>"
                + "<g id=\"b\">" + "<use href=\"#a\"/>".repeat(10) + "</g>"
                + "<g id=\"c\">" + "<use href=\"#b\"/>".repeat(10) + "</g>"
                + "<g id=\"d\">" + "<use href=\"#c\"/>".repeat(10) + "</g></defs>"
                + "<use href=\"#d\"/>".repeat(10));

        assertThatThrownBy(() -> rasterizer.render(svg, 10, 10, false)).isInstanceOf(ImageRefusedException.class)
                .hasMessage("could not be decoded as SVG, or is too complex to render");
    }

    @Test
    void refusesLargeMalformedAndSizelessSvgsAndVectorEffects() {
        byte[] large = svg(10, 10, "<desc>" + "x".repeat(SvgRasterizer.MAX_BYTES) + "</desc>");
        byte[] malformed = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect".getBytes(StandardCharsets.UTF_8);
        byte[] sizeless = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"10\"/>"
                .getBytes(StandardCharsets.UTF_8);
        byte[] vectorEffect = svg(10, 10, "<path d=\"M0 0 L10 10\" stroke=\"black\" stroke-dasharray=\"0.001\""
                + " vector-effect=\"non-scaling-stroke\"/>");

        assertThatThrownBy(() -> rasterizer.render(large, 10, 10, false)).hasMessage("is an SVG larger than 128 KB");
        assertThatThrownBy(() -> rasterizer.render(malformed, 10, 10, false))
                .hasMessage("could not be decoded as SVG, or is too complex to render");
        assertThatThrownBy(() -> rasterizer.render(sizeless, 10, 10, false)).hasMessage("is an SVG without a size");
        assertThatThrownBy(() -> rasterizer.render(vectorEffect, 10, 10, false))
                .hasMessage("is an SVG that uses vector-effect, which this server does not render");
    }

    @Test
    void resolvesOnlySameDocumentReferences() {
        assertThat(SvgRasterizer.fragment("#a")).isEqualTo("a");
        assertThat(SvgRasterizer.fragment(" url( '#a' ) ")).isEqualTo("a");
        assertThat(SvgRasterizer.fragment("url(\"#a\")")).isEqualTo("a");
        assertThat(SvgRasterizer.fragment("other.svg#a")).isNull();
        assertThat(SvgRasterizer.fragment("url(http://x/y.svg#a)")).isNull();
        assertThat(SvgRasterizer.fragment("#")).isNull();
    }

    private static int count(BufferedImage image, int argb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                count += image.getRGB(x, y) == argb ? 1 : 0;
            }
        }
        return count;
    }
}
