package io.pushcore.send.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The image pipeline ({@code send.images.*}, env {@code SEND_IMAGES_*}); README "Images". */
@ConfigMapping(prefix = "send.images")
public interface ImagesConfig {

    /** S3 bucket the resized images are stored in, under {@code images/}. */
    String bucket();

    /**
     * Public URL the bucket's keys are served under; a CDN URL is this plus
     * {@code images/<tenant key>/<sha256>-<variant>.<ext>}.
     */
    String cdnBaseUrl();

    @WithDefault("2s")
    Duration connectTimeout();

    /** Longest silence while reading a response. */
    @WithDefault("3s")
    Duration readTimeout();

    /**
     * One image's whole download, redirects included, as a hard bound; all images of a context download
     * concurrently. A one-shot send spends this before its dispatch time budget starts.
     */
    @WithDefault("5s")
    Duration totalTimeout();

    /** Download cap per image, in bytes (5 MB). */
    @WithDefault("5242880")
    long maxBytes();

    @WithDefault("3")
    int maxRedirects();

    /** Decompression-bomb cap, read from the header before decoding (40 megapixels). */
    @WithDefault("40000000")
    long maxPixels();

    /** How long a warm instance reuses the CDN URL of an image URL it already published; 0 disables. */
    @WithDefault("10m")
    Duration cacheTtl();

    /** Images decoded at once per function instance; each can hold up to maxPixels × 4 bytes while decoding. */
    @WithDefault("2")
    int decodeConcurrency();
}
