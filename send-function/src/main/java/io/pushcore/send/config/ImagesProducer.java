package io.pushcore.send.config;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.pushcore.net.NetworkPolicy;
import io.pushcore.send.images.CheckedResolver;
import io.pushcore.send.images.ImageFetcher;
import io.pushcore.send.images.ImagePipeline;
import io.pushcore.send.images.ImageResizer;
import io.pushcore.send.images.S3ImageStore;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the image pipeline from {@link ImagesConfig} and the function's {@link NetworkPolicy}. */
@ApplicationScoped
public class ImagesProducer {

    private final ImagesConfig config;
    private final SendConfig send;

    ImagesProducer(ImagesConfig config, SendConfig send) {
        this.config = config;
        this.send = send;
    }

    @Produces
    @Singleton
    ImageFetcher imageFetcher(NetworkPolicy policy) {
        return new ImageFetcher(CheckedResolver.of(policy), new ImageFetcher.Limits(config.connectTimeout(),
                config.readTimeout(), config.totalTimeout(), config.maxBytes(), config.maxRedirects()));
    }

    void closeFetcher(@Disposes ImageFetcher fetcher) {
        fetcher.close();
    }

    @Produces
    @Singleton
    ImagePipeline imagePipeline(ImageFetcher fetcher, S3Client s3, Clock clock) {
        S3ImageStore store = new S3ImageStore(s3, config.bucket(), refreshAfter(), clock);
        return new ImagePipeline(fetcher, new ImageResizer(config.maxPixels()), store, config.cdnBaseUrl(),
                config.decodeConcurrency(), config.cacheTtl());
    }

    /**
     * The CDN bucket's lifecycle deletes an image the retention after it was written (never sooner: S3 rounds up to
     * the next midnight UTC); a context reusing it lives at most a bucket's lifetime. An image older than the
     * difference is written again (an hour kept for clock skew), so it outlives every context that shows it.
     */
    Duration refreshAfter() {
        Duration left = send.events().retention().minus(send.bucket().lifetime()).minusHours(1);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
