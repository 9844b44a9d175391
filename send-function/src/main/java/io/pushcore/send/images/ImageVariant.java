package io.pushcore.send.images;

/**
 * What an image is used as, and so its output size. Icons are exactly {@code size}×{@code size}: the whole picture
 * scaled to fit and centred on a transparent square (nothing of a logo is cut off; a non-square photo gets
 * transparent bands). Images keep their aspect ratio within {@code maxWidth}×{@code maxHeight} and are never
 * enlarged.
 */
public enum ImageVariant {

    ICON("icon", 192, 192, true),
    SMALL_ICON("small-icon", 96, 96, true),
    // The height cap only bounds absurd strips (a 1000×40000 "image"); normal pictures are limited by width.
    IMAGE("image", 1024, 4096, false);

    private final String keySuffix;
    private final int maxWidth;
    private final int maxHeight;
    private final boolean square;

    ImageVariant(String keySuffix, int maxWidth, int maxHeight, boolean square) {
        this.keySuffix = keySuffix;
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
        this.square = square;
    }

    /** The variant's name in storage keys ({@code images/<sha256>-<keySuffix>.png}). */
    public String keySuffix() {
        return keySuffix;
    }

    public int maxWidth() {
        return maxWidth;
    }

    public int maxHeight() {
        return maxHeight;
    }

    public boolean isSquare() {
        return square;
    }
}
