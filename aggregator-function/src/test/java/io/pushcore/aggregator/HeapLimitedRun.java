package io.pushcore.aggregator;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.aggregator.support.TestConfig;
import io.pushcore.testing.aws.LocalAws;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One aggregator run in a JVM of its own (started by {@link TemplateHeapTest} with the function's heap): the
 * production configuration apart from where the queues and the state bucket are, and loopback webhooks allowed.
 * Arguments: S3 endpoint, SQS endpoint, queue URL, dead-letter queue URL, run budget in seconds. Prints the report
 * and the heap it used on the last line; exits 0 when the run completed.
 */
final class HeapLimitedRun {

    public static void main(String[] args) {
        AggregatorConfig config = TestConfig.aggregator(Map.of("aggregator.queue.url", args[2],
                "aggregator.dead-letter-queue-url", args[3]));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                LocalAws.ACCESS_KEY, LocalAws.SECRET_KEY));
        // the Apache client, as the function uses
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(args[0])).region(Region.of(LocalAws.REGION))
                .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
                SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(args[1]))
                        .region(Region.of(LocalAws.REGION)).credentialsProvider(credentials)
                        .httpClientBuilder(ApacheHttpClient.builder()).build()) {
            EventAggregator aggregator = PlainAggregator.on(sqs, s3, config, Clock.systemUTC(),
                    new SimpleMeterRegistry());
            AggregationReport report = aggregator.run(Duration.ofSeconds(Long.parseLong(args[4])));
            Runtime runtime = Runtime.getRuntime();
            System.out.println("heap-limited run: " + report + ", heap max " + runtime.maxMemory() / (1 << 20)
                    + " MiB, used at the end " + (runtime.totalMemory() - runtime.freeMemory()) / (1 << 20) + " MiB");
        }
    }
}
