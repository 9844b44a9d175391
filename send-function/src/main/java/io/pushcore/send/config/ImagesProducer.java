package io.pushcore.send.config;

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

    ImagesProducer(ImagesConfig config) {
        this.config = config;
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
    ImagePipeline imagePipeline(ImageFetcher fetcher, S3Client s3) {
        return new ImagePipeline(fetcher, new ImageResizer(config.maxPixels()), new S3ImageStore(s3, config.bucket()),
                config.cdnBaseUrl(), config.decodeConcurrency(), config.cacheTtl());
    }
}
