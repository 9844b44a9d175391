package io.pushcore.aggregator;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.aggregator.config.AggregatorProducer;
import io.pushcore.aggregator.storage.S3RouteReader;
import io.pushcore.aggregator.storage.SqsEventSource;
import io.pushcore.aggregator.webhook.WebhookDeliverer;
import io.pushcore.crypto.CredentialCipher;
import io.pushcore.net.NetworkPolicy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The aggregator wired by hand as CDI wires it (real SQS event source, S3 route reader and webhook deliverer), for
 * tests without Quarkus and for child JVMs.
 */
final class PlainAggregator {

    private PlainAggregator() {
    }

    static EventAggregator on(SqsClient sqs, S3Client s3, AggregatorConfig config, Clock clock,
            MeterRegistry metrics) {
        CredentialCipher cipher = AggregatorProducer.webhookCipher(config);
        return new EventAggregator(new SqsEventSource(sqs, config), new S3RouteReader(s3, cipher, clock, config),
                new WebhookDeliverer(new NetworkPolicy(config.network().allowPrivate()), clock, config), clock, config,
                metrics);
    }
}
