package io.pushcore.local;

import java.net.URI;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SQS (ElasticMQ) and S3 (s3proxy, in-memory) in this JVM on random loopback ports, with static credentials.
 */
public final class AwsStandIns implements AutoCloseable {

    /** us-east-1: s3proxy's transient store refuses other bucket location constraints. */
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "pushcore";
    public static final String SECRET_KEY = "pushcore-local-secret";

    private final SQSRestServer sqsServer;
    private final S3Proxy s3Proxy;
    private final BlobStoreContext blobs;
    private final URI sqsEndpoint;
    private final URI s3Endpoint;

    private AwsStandIns(SQSRestServer sqsServer, S3Proxy s3Proxy, BlobStoreContext blobs, URI sqsEndpoint,
            URI s3Endpoint) {
        this.sqsServer = sqsServer;
        this.s3Proxy = s3Proxy;
        this.blobs = blobs;
        this.sqsEndpoint = sqsEndpoint;
        this.s3Endpoint = s3Endpoint;
    }

    public static AwsStandIns start() throws Exception {
        SQSRestServer sqs = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        int sqsPort = sqs.waitUntilStarted().localAddress().getPort();
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(new Properties()).build(BlobStoreContext.class);
        S3Proxy s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        s3.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"STARTED".equals(s3.getState())) {
            if (System.nanoTime() > deadline) {
                sqs.stopAndWait();
                throw new IllegalStateException("s3proxy did not start within 30 s");
            }
            Thread.sleep(5);
        }
        return new AwsStandIns(sqs, s3, blobs, URI.create("http://127.0.0.1:" + sqsPort),
                URI.create("http://127.0.0.1:" + s3.getPort()));
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public void createBucket(String name) {
        try (S3Client s3 = S3Client.builder().endpointOverride(s3Endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(true).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build()) {
            s3.createBucket(b -> b.bucket(name));
        }
    }

    /** Creates a queue and returns its URL. */
    public String createQueue(String name) {
        try (SqsClient sqs = SqsClient.builder().endpointOverride(sqsEndpoint).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            return sqs.createQueue(b -> b.queueName(name)).queueUrl();
        }
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    @Override
    public void close() throws Exception {
        try {
            s3Proxy.stop();
            blobs.close();
        } finally {
            sqsServer.stopAndWait();
        }
    }
}
