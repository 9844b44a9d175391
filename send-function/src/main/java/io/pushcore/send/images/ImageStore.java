package io.pushcore.send.images;

/** Where processed images go: content-addressed, so storing the same bytes twice keeps one object. */
public interface ImageStore {

    /** The key of {@code image}, and whether this call wrote it (false: it was already there). */
    record Stored(String key, boolean written) {
    }

    Stored store(ProcessedImage image);
}
