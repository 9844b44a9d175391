package io.pushcore.send.images;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.ImageObserver;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.github.weisj.jsvg.renderer.output.Output;
import com.github.weisj.jsvg.renderer.output.TextOutput;

/**
 * JSVG's drawing target with a cost budget: before each shape, clip or image reaches Java2D its rasterization cost is
 * estimated in device space and charged to one {@link Budget} shared by all child outputs, and the time limit is
 * checked; past either the render stops with an {@link ImageRefusedException}. Filters are reported unsupported, so
 * JSVG draws filtered elements without their filter (each would be an off-screen pass outside this budget).
 *
 * <p>The estimate, in units of about one covered pixel: covered area, plus {@value #CROSSING} per pixel row an edge
 * crosses (anti-aliased scanline conversion dominates for long or jagged paths), plus {@value #SEGMENT} per flattened
 * segment and {@value #DASH} per dash. Strokes count both sides of their outline and their length times their width;
 * clips count as a fill plus a term quadratic in their segments (Java2D intersects non-rectangular clips as areas).
 */
final class BudgetedOutput implements Output {

    static final long CROSSING = 100;
    static final long SEGMENT = 50;
    static final long DASH = 200;
    static final long CLIP_SEGMENT_PAIR = 20;
    /** Flatness of curves when counting, in device pixels: coarser than Java2D's, fine for an estimate. */
    private static final double FLATNESS = 0.5;

    /** Work units and wall-clock time left for one render; shared by an output and all its children. */
    static final class Budget {
        private final long deadlineNanos;
        private final double width;
        private final double height;
        private long work;

        Budget(long work, long timeLimitNanos, int width, int height) {
            this.work = work;
            this.deadlineNanos = System.nanoTime() + timeLimitNanos;
            this.width = width;
            this.height = height;
        }

        void charge(long units) {
            work -= units;
            if (work < 0) {
                throw new ImageRefusedException("is an SVG too complex to render");
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new ImageRefusedException("is an SVG that could not be rendered in time");
            }
        }

        long left() {
            return work;
        }
    }

    private final Output delegate;
    private final Budget budget;

    BudgetedOutput(Output delegate, Budget budget) {
        this.delegate = delegate;
        this.budget = budget;
    }

    @Override
    public void fillShape(Shape shape) {
        budget.charge(Geometry.of(shape, delegate.transform(), budget).fillCost());
        delegate.fillShape(shape);
    }

    @Override
    public void drawShape(Shape shape) {
        budget.charge(Geometry.of(shape, delegate.transform(), budget).strokeCost(delegate.stroke(),
                scaleOf(delegate.transform())));
        delegate.drawShape(shape);
    }

    @Override
    public void applyClip(Shape clipShape) {
        Geometry geometry = Geometry.of(clipShape, delegate.transform(), budget);
        budget.charge(geometry.fillCost() + geometry.segments * geometry.segments * CLIP_SEGMENT_PAIR);
        delegate.applyClip(clipShape);
    }

    @Override
    public void drawImage(BufferedImage image) {
        chargeImage(image.getWidth(), image.getHeight());
        delegate.drawImage(image);
    }

    @Override
    public void drawImage(Image image, ImageObserver observer) {
        chargeImage(image.getWidth(observer), image.getHeight(observer));
        delegate.drawImage(image, observer);
    }

    @Override
    public void drawImage(Image image, AffineTransform at, ImageObserver observer) {
        chargeImage(image.getWidth(observer), image.getHeight(observer));
        delegate.drawImage(image, at, observer);
    }

    private void chargeImage(int width, int height) {
        budget.charge(Math.max(0L, width) * Math.max(0L, height) + SEGMENT);
    }

    @Override
    public Output createChild() {
        return new BudgetedOutput(delegate.createChild(), budget);
    }

    @Override
    public boolean supportsFilters() {
        return false;
    }

    @Override
    public void setPaint(Paint paint) {
        delegate.setPaint(paint);
    }

    @Override
    public void setPaint(Supplier<Paint> paintProvider) {
        delegate.setPaint(paintProvider);
    }

    @Override
    public void setStroke(Stroke stroke) {
        delegate.setStroke(stroke);
    }

    @Override
    public Stroke stroke() {
        return delegate.stroke();
    }

    @Override
    public Optional<Float> contextFontSize() {
        return delegate.contextFontSize();
    }

    @Override
    public void dispose() {
        delegate.dispose();
    }

    @Override
    public void debugPaint(Consumer<Graphics2D> painter) {
        // JSVG's debug drawing is never wanted in a published image
    }

    @Override
    public Rectangle2D clipBounds() {
        return delegate.clipBounds();
    }

    @Override
    public RenderingHints renderingHints() {
        return delegate.renderingHints();
    }

    @Override
    public Object renderingHint(RenderingHints.Key key) {
        return delegate.renderingHint(key);
    }

    @Override
    public void setRenderingHint(RenderingHints.Key key, Object value) {
        delegate.setRenderingHint(key, value);
    }

    @Override
    public AffineTransform transform() {
        return delegate.transform();
    }

    @Override
    public void setTransform(AffineTransform affineTransform) {
        delegate.setTransform(affineTransform);
    }

    @Override
    public void applyTransform(AffineTransform transform) {
        delegate.applyTransform(transform);
    }

    @Override
    public void rotate(double angle) {
        delegate.rotate(angle);
    }

    @Override
    public void scale(double sx, double sy) {
        delegate.scale(sx, sy);
    }

    @Override
    public void translate(double dx, double dy) {
        delegate.translate(dx, dy);
    }

    @Override
    public float currentOpacity() {
        return delegate.currentOpacity();
    }

    @Override
    public void applyOpacity(float opacity) {
        delegate.applyOpacity(opacity);
    }

    @Override
    public SafeState safeState() {
        return delegate.safeState();
    }

    @Override
    public TextOutput textOutput() {
        return delegate.textOutput();
    }

    @Override
    public boolean supportsColors() {
        return delegate.supportsColors();
    }

    @Override
    public boolean hasMaskedPaint() {
        return delegate.hasMaskedPaint();
    }

    private static double scaleOf(AffineTransform transform) {
        return Math.sqrt(Math.abs(transform.getDeterminant()));
    }

    /**
     * A shape's outline in device space, measured in one pass over its flattened segments; the pass stops as soon as
     * the crossings alone would exhaust the budget, so a shape with millions of segments is refused without being
     * walked.
     */
    private record Geometry(long segments, double length, double crossings, double area, double canvasArea) {

        static Geometry of(Shape shape, AffineTransform transform, Budget budget) {
            long segments = 0;
            double length = 0;
            double crossings = 0;
            double minX = Double.POSITIVE_INFINITY;
            double minY = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            double maxY = Double.NEGATIVE_INFINITY;
            double startX = 0;
            double startY = 0;
            double x = 0;
            double y = 0;
            double[] point = new double[6];
            for (PathIterator it = shape.getPathIterator(transform, FLATNESS); !it.isDone(); it.next()) {
                int type = it.currentSegment(point);
                double nextX = type == PathIterator.SEG_CLOSE ? startX : point[0];
                double nextY = type == PathIterator.SEG_CLOSE ? startY : point[1];
                if (!Double.isFinite(nextX) || !Double.isFinite(nextY)) {
                    throw new ImageRefusedException("is an SVG with coordinates out of range");
                }
                if (type == PathIterator.SEG_MOVETO) {
                    startX = nextX;
                    startY = nextY;
                } else {
                    segments++;
                    length += Math.hypot(nextX - x, nextY - y);
                    crossings += Math.abs(clamp(nextY, budget.height) - clamp(y, budget.height));
                    if ((segments & 1023) == 0 && crossings * CROSSING + segments * SEGMENT > budget.left()) {
                        throw new ImageRefusedException("is an SVG too complex to render");
                    }
                }
                x = nextX;
                y = nextY;
                minX = Math.min(minX, x);
                minY = Math.min(minY, y);
                maxX = Math.max(maxX, x);
                maxY = Math.max(maxY, y);
            }
            double visibleWidth = Math.max(0, Math.min(maxX, budget.width) - Math.max(minX, 0));
            double visibleHeight = Math.max(0, Math.min(maxY, budget.height) - Math.max(minY, 0));
            return new Geometry(segments, length, crossings, visibleWidth * visibleHeight,
                    budget.width * budget.height);
        }

        private static double clamp(double value, double max) {
            return Math.max(0, Math.min(max, value));
        }

        long fillCost() {
            return units(area + crossings * CROSSING + segments * SEGMENT);
        }

        long strokeCost(Stroke stroke, double scale) {
            double width = 1;
            double dashes = 0;
            if (stroke instanceof BasicStroke basic) {
                width = Math.max(1, basic.getLineWidth() * scale);
                float[] dash = basic.getDashArray();
                if (dash != null) {
                    double period = 0;
                    for (float d : dash) {
                        period += Math.abs(d);
                    }
                    period *= scale;
                    // a zero period draws solid: Java2D ignores such a dash array
                    dashes = period > 0 ? length / period : 0;
                }
            }
            double covered = Math.min(length * width, canvasArea * Math.max(1, segments));
            return units(covered + 2 * crossings * CROSSING + segments * SEGMENT + dashes * DASH);
        }

        private static long units(double estimate) {
            return estimate >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) Math.ceil(estimate);
        }
    }
}
