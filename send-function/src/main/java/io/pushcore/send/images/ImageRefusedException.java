package io.pushcore.send.images;

/**
 * An image URL cannot be used: not reachable, forbidden, too large, not an image. The message is the reason as the
 * client sees it after its field name ({@code icon: <message>}), so it never carries internal details.
 */
public class ImageRefusedException extends RuntimeException {

    public ImageRefusedException(String message) {
        super(message, null, false, false);
    }
}
