package io.pushcore.send.images;

/** One re-encoded variant, ready to store: metadata-free PNG or JPEG bytes. */
public record ProcessedImage(byte[] bytes, String contentType, String extension, int width, int height,
        ImageVariant variant) {
}
