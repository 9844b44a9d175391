package io.pushcore.local;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * The SQS (ElasticMQ) and S3 (s3proxy) stand-ins on the fixed loopback ports that each function's {@code %dev}
 * profile points at, so {@code ./mvnw -pl <function> -am quarkus:dev} runs without an AWS account: SQS on
 * {@value #SQS_PORT} with the queue {@value LocalRunner#EVENT_QUEUE} (and its {@code -dlq}), S3 on {@value #S3_PORT}
 * with the buckets {@value LocalRunner#STATE_BUCKET} and {@value LocalRunner#CDN_BUCKET}, static credentials
 * {@code pushcore}/{@code pushcore-local-secret}. In memory: everything is gone when it stops (Ctrl-C).
 */
public final class DevStandIns {

    /** {@code %dev.quarkus.sqs.endpoint-override} and the host of every {@code %dev} queue URL. */
    public static final int SQS_PORT = 9324;
    /** {@code %dev.quarkus.s3.endpoint-override}. */
    public static final int S3_PORT = 9330;

    private DevStandIns() {
    }

    /** Starts the stand-ins with the queues and buckets the {@code %dev} profiles name. */
    public static AwsStandIns start(int sqsPort, int s3Port) {
        AwsStandIns aws = AwsStandIns.start(sqsPort, s3Port);
        try {
            aws.createBucket(LocalRunner.STATE_BUCKET);
            aws.createBucket(LocalRunner.CDN_BUCKET);
            aws.createQueue(LocalRunner.EVENT_DLQ);
            aws.createQueue(LocalRunner.EVENT_QUEUE);
            return aws;
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int sqsPort = Integer.getInteger("pushcore.dev.sqs-port", SQS_PORT);
        int s3Port = Integer.getInteger("pushcore.dev.s3-port", S3_PORT);
        AwsStandIns aws = start(sqsPort, s3Port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            aws.close();
            stopped.countDown();
        }, "pushcore-dev-stand-ins-shutdown"));
        PrintStream out = System.out;
        out.println("pushcore dev stand-ins (in memory; Ctrl-C stops them):");
        out.println("  SQS (ElasticMQ): " + aws.sqsEndpoint() + "  queues " + LocalRunner.EVENT_QUEUE + ", "
                + LocalRunner.EVENT_DLQ);
        out.println("  S3 (s3proxy):    " + aws.s3Endpoint() + "  buckets " + LocalRunner.STATE_BUCKET + ", "
                + LocalRunner.CDN_BUCKET);
        out.println("  now, in another terminal: ./mvnw -pl send-function -am test-compile quarkus:dev   (or event-function, aggregator-function)");
        out.flush();
        stopped.await();
    }
}
