package io.pushcore.send.images;

import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.weisj.jsvg.SVGDocument;
import com.github.weisj.jsvg.nodes.Mask;
import com.github.weisj.jsvg.paint.SVGPaint;
import com.github.weisj.jsvg.parser.DocumentLimits;
import com.github.weisj.jsvg.parser.DomDocument;
import com.github.weisj.jsvg.parser.DomElement;
import com.github.weisj.jsvg.parser.DomProcessor;
import com.github.weisj.jsvg.parser.ElementLoader;
import com.github.weisj.jsvg.parser.LoaderContext;
import com.github.weisj.jsvg.parser.SVGLoader;
import com.github.weisj.jsvg.parser.resources.ResourcePolicy;
import com.github.weisj.jsvg.renderer.NullPlatformSupport;
import com.github.weisj.jsvg.renderer.RenderContext;
import com.github.weisj.jsvg.renderer.output.Output;
import com.github.weisj.jsvg.view.FloatSize;

/**
 * Draws an SVG (with JSVG) straight at the size its variant needs. An SVG is a program as much as a picture, so only
 * its static picture is drawn, from the document alone, at a bounded cost:
 * <ul>
 * <li>Nothing outside the document is fetched, read or run. The XML parser reads no DTD and expands no entity (no
 * XXE); external resources are denied, {@code data:} URIs included ({@code <image>}, {@code <feImage>}, fonts);
 * references ({@code <use>}, {@code href} templates, {@code url(#…)} paints and clips) resolve only to elements of
 * the same document; JSVG runs no script, follows no link and loads no style sheet.</li>
 * <li>Filters, masks and patterns are not drawn: the element is drawn without its filter or mask, and a pattern paint
 * paints nothing, as an unresolved paint reference does. Each is an off-screen pass whose cost multiplies with nesting
 * and count (a 160 KB file of blurs took minutes).</li>
 * <li>The document: at most {@link #MAX_BYTES}, elements nested {@value #MAX_NESTING} deep, {@code <use>} nested
 * {@value #MAX_USE_NESTING} deep, {@value #MAX_INSTANCES} drawn instances ({@code <use>} and markers included), clip
 * paths of at most {@value #MAX_CLIP_NUMBERS} coordinates each (Java2D intersects clips as areas, quadratic in their
 * edges), no {@code vector-effect} (it makes JSVG build stroke outlines outside the budget).</li>
 * <li>The drawing: the output is the variant's size at most, every primitive's cost is estimated and charged to a
 * budget of {@link #WORK_BUDGET} units before it is drawn ({@link BudgetedOutput}), and the render stops at
 * {@link #TIME_LIMIT}.</li>
 * </ul>
 * Text is drawn with the fonts of the machine; where it has none usable (no freetype/fontconfig), an SVG with text is
 * refused with that reason. Thread-safe: each call has its own loader.
 */
final class SvgRasterizer {

    static final int MAX_BYTES = 128 * 1024;
    static final int MAX_NESTING = 30;
    static final int MAX_USE_NESTING = 10;
    static final int MAX_INSTANCES = 1000;
    static final int MAX_CLIP_NUMBERS = 256;
    /** About half a second of drawing on one core: a 1024×1024 image painted over about a hundred times. */
    static final long WORK_BUDGET = 150_000_000L;
    static final Duration TIME_LIMIT = Duration.ofSeconds(2);

    private static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");
    private static final List<String> GEOMETRY_ATTRIBUTES = List.of("d", "points", "x", "y", "width", "height", "cx",
            "cy", "r", "rx", "ry", "x1", "y1", "x2", "y2");
    // JSVG logs through java.util.logging; refused references and malformed input are answered to the client instead.
    private static final java.util.logging.Logger JSVG_LOG =
            java.util.logging.Logger.getLogger("com.github.weisj.jsvg");

    static {
        JSVG_LOG.setLevel(Level.SEVERE);
    }

    private final long workBudget;
    private final Duration timeLimit;

    SvgRasterizer() {
        this(WORK_BUDGET, TIME_LIMIT);
    }

    SvgRasterizer(long workBudget, Duration timeLimit) {
        this.workBudget = workBudget;
        this.timeLimit = timeLimit;
    }

    /**
     * Whether {@code bytes} is an SVG document: after an optional byte order mark, XML declaration, comments and
     * DOCTYPE, the first element is {@code <svg}. Compressed SVG (svgz) is not.
     */
    static boolean sniff(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8);
        int i = head.startsWith("\uFEFF") ? 1 : 0;
        while (true) {
            while (i < head.length() && Character.isWhitespace(head.charAt(i))) {
                i++;
            }
            if (head.startsWith("<?", i)) {
                i = after(head, i, "?>");
            } else if (head.startsWith("<!--", i)) {
                i = after(head, i, "-->");
            } else if (head.regionMatches(true, i, "<!DOCTYPE", 0, 9)) {
                int subset = head.indexOf('[', i);
                int end = head.indexOf('>', i);
                i = subset >= 0 && subset < end ? after(head, subset, "]>") : after(head, i, ">");
            } else {
                return head.startsWith("<svg", i) && i + 4 < head.length()
                        && (Character.isWhitespace(head.charAt(i + 4)) || "/>".indexOf(head.charAt(i + 4)) >= 0);
            }
            if (i < 0) {
                return false;
            }
        }
    }

    private static int after(String text, int from, String end) {
        int at = text.indexOf(end, from);
        return at < 0 ? -1 : at + end.length();
    }

    /**
     * The SVG drawn to fit {@code maxWidth}×{@code maxHeight} keeping its aspect ratio: enlarged to fill it when
     * {@code enlarge} (icons, which are drawn at their exact size), otherwise never larger than the SVG's own size.
     *
     * @throws ImageRefusedException with the reason when it is too large, too complex, malformed or undrawable
     */
    BufferedImage render(byte[] bytes, int maxWidth, int maxHeight, boolean enlarge) {
        if (bytes.length > MAX_BYTES) {
            throw new ImageRefusedException("is an SVG larger than " + MAX_BYTES / 1024 + " KB");
        }
        String source = new String(bytes, StandardCharsets.UTF_8);
        if (source.contains("vector-effect")) {
            throw new ImageRefusedException("is an SVG that uses vector-effect, which this server does not render");
        }
        SVGDocument document = load(bytes);
        FloatSize size = document.size();
        if (!(size.width > 0 && size.height > 0 && Float.isFinite(size.width) && Float.isFinite(size.height))) {
            throw new ImageRefusedException("is an SVG without a size");
        }
        double scale = Math.min(maxWidth / size.getWidth(), maxHeight / size.getHeight());
        if (!enlarge) {
            scale = Math.min(1, scale);
        }
        int width = (int) Math.max(1, Math.min(maxWidth, Math.round(size.getWidth() * scale)));
        int height = (int) Math.max(1, Math.min(maxHeight, Math.round(size.getHeight() * scale)));
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = image.createGraphics();
        Output output = new BudgetedOutput(Output.createForGraphics(graphics),
                new BudgetedOutput.Budget(workBudget, timeLimit.toNanos(), width, height));
        try {
            output.scale(width / size.getWidth(), height / size.getHeight());
            document.renderWithPlatform(NullPlatformSupport.INSTANCE, output, null);
        } catch (ImageRefusedException e) {
            throw e;
        } catch (LinkageError e) {
            // AWT's font stack (freetype, fontconfig) is missing: only text needs it.
            throw new ImageRefusedException("is an SVG with text, and this server has no fonts to draw it");
        } catch (RuntimeException e) {
            throw new ImageRefusedException("could not be rendered as SVG");
        } finally {
            output.dispose();
            graphics.dispose();
        }
        return image;
    }

    private static SVGDocument load(byte[] bytes) {
        Scan scan = new Scan();
        LoaderContext context = LoaderContext.builder()
                .externalResourcePolicy(ResourcePolicy.DENY_ALL)
                .elementLoader(new SameDocumentOnly())
                .documentLimits(new DocumentLimits(MAX_NESTING, MAX_USE_NESTING, MAX_INSTANCES))
                .preProcessor(scan)
                .build();
        SVGDocument document;
        try {
            // JSVG answers null for malformed input and for exceeded document limits
            document = new SVGLoader().load(new ByteArrayInputStream(bytes), null, context);
        } catch (RuntimeException e) {
            document = null;
        }
        if (scan.refusal != null) {
            throw scan.refusal;
        }
        if (document == null) {
            throw new ImageRefusedException("could not be decoded as SVG, or is too complex to render");
        }
        return document;
    }

    /**
     * Resolves {@code #id} and {@code url(#id)} within the document only, and never to a mask or a pattern. A
     * {@code url(…)} paint that does not resolve paints nothing, as in browsers (JSVG would paint black).
     */
    private static final class SameDocumentOnly implements ElementLoader {

        private static final SVGPaint NO_PAINT = new SVGPaint() {
            @Override
            public void fillShape(Output output, RenderContext context, Shape shape, Rectangle2D bounds) {
            }

            @Override
            public void drawShape(Output output, RenderContext context, Shape shape, Rectangle2D bounds) {
            }

            @Override
            public boolean isVisible(RenderContext context) {
                return false;
            }
        };

        @Override
        public <T> T loadElement(Class<T> type, String value, DomDocument document) {
            String id = fragment(value);
            T element = id == null ? null : document.getElementById(type, id);
            if (element instanceof Mask || element instanceof com.github.weisj.jsvg.nodes.Pattern) {
                element = null;
            }
            if (element == null && type == SVGPaint.class && value != null
                    && value.strip().regionMatches(true, 0, "url(", 0, 4)) {
                return type.cast(NO_PAINT);
            }
            return element;
        }
    }

    /** The id of a same-document reference ({@code #id}, {@code url(#id)}, {@code url('#id')}), else null. */
    static String fragment(String value) {
        if (value == null) {
            return null;
        }
        String reference = value.strip();
        if (reference.regionMatches(true, 0, "url(", 0, 4) && reference.endsWith(")")) {
            reference = reference.substring(4, reference.length() - 1).strip();
            if (reference.length() >= 2 && (reference.charAt(0) == '\'' || reference.charAt(0) == '"')
                    && reference.charAt(reference.length() - 1) == reference.charAt(0)) {
                reference = reference.substring(1, reference.length() - 1).strip();
            }
        }
        return reference.length() > 1 && reference.charAt(0) == '#' ? reference.substring(1) : null;
    }

    /**
     * Checks the parsed document before JSVG builds it: every clip path, with the elements its {@code <use>}s
     * reference, has at most {@value #MAX_CLIP_NUMBERS} coordinates. JSVG swallows exceptions while loading, so the
     * refusal is kept here and thrown afterwards.
     */
    private static final class Scan implements DomProcessor {

        ImageRefusedException refusal;

        @Override
        public void process(DomElement root) {
            Map<String, DomElement> byId = new HashMap<>();
            List<DomElement> clipPaths = new ArrayList<>();
            index(root, byId, clipPaths, 0);
            for (DomElement clipPath : clipPaths) {
                if (numbers(clipPath, byId, 0) > MAX_CLIP_NUMBERS) {
                    refusal = new ImageRefusedException("is an SVG whose clip paths are too complex to render");
                    throw new IllegalStateException("clip path too complex");
                }
            }
        }

        private static void index(DomElement element, Map<String, DomElement> byId, List<DomElement> clipPaths,
                int depth) {
            if (depth > MAX_NESTING) {
                return;
            }
            if (element.id() != null) {
                byId.putIfAbsent(element.id(), element);
            }
            if (element.tagName().toLowerCase(Locale.ROOT).equals("clippath")) {
                clipPaths.add(element);
            }
            for (DomElement child : element.children()) {
                index(child, byId, clipPaths, depth + 1);
            }
        }

        private static int numbers(DomElement element, Map<String, DomElement> byId, int depth) {
            if (depth > MAX_NESTING) {
                return Integer.MAX_VALUE / 2;
            }
            int count = 0;
            for (String attribute : GEOMETRY_ATTRIBUTES) {
                String value = element.attribute(attribute);
                if (value != null) {
                    Matcher number = NUMBER.matcher(value);
                    while (number.find() && count <= MAX_CLIP_NUMBERS) {
                        count++;
                    }
                }
            }
            if (element.tagName().equalsIgnoreCase("text")) {
                // glyph outlines: as complex as a long path; text in a clip path is refused
                return Integer.MAX_VALUE / 2;
            }
            if (element.tagName().equalsIgnoreCase("use")) {
                String href = element.attribute("href", element.attribute("xlink:href", ""));
                DomElement referenced = byId.get(fragment(href) == null ? "" : fragment(href));
                if (referenced != null) {
                    count += numbers(referenced, byId, depth + 1);
                }
            }
            for (DomElement child : element.children()) {
                count += numbers(child, byId, depth + 1);
                if (count > MAX_CLIP_NUMBERS) {
                    return count;
                }
            }
            return count;
        }
    }
}
