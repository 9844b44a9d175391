package io.pushcore.local;

import java.net.URI;

import io.pushcore.testing.aws.LocalAws;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SQS (ElasticMQ) and S3 (s3proxy, in memory) in this JVM on random loopback ports with static credentials: the
 * shared test-jar's {@link LocalAws}, so the runner and the tests use the same stand-ins.
 */
public final class AwsStandIns implements AutoCloseable {

    public static final String REGION = LocalAws.REGION;

    private final LocalAws aws;

    private AwsStandIns(LocalAws aws) {
        this.aws = aws;
    }

    public static AwsStandIns start() {
        return new AwsStandIns(LocalAws.startInProcess());
    }

    /** On the given loopback ports (0: a free one), as {@code quarkus:dev} expects them ({@link DevStandIns}). */
    public static AwsStandIns start(int sqsPort, int s3Port) {
        return new AwsStandIns(LocalAws.startInProcess(sqsPort, s3Port));
    }

    public URI s3Endpoint() {
        return aws.s3Endpoint();
    }

    public URI sqsEndpoint() {
        return aws.sqsEndpoint();
    }

    public String accessKey() {
        return aws.accessKey();
    }

    public String secretKey() {
        return aws.secretKey();
    }

    public S3Client s3() {
        return aws.s3();
    }

    public SqsClient sqs() {
        return aws.sqs();
    }

    public void createBucket(String name) {
        aws.createBucket(name);
    }

    /** Creates a queue and returns its URL. */
    public String createQueue(String name) {
        return aws.createQueue(name);
    }

    @Override
    public void close() {
        aws.close();
    }
}
