package io.pushcore.testing.aws;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.concurrent.TimeUnit;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * S3 and SQS on 127.0.0.1 for tests and the local runner: in-process s3proxy (transient blob store) and ElasticMQ
 * by default, or LocalStack through Testcontainers when Docker is available. Both answer on random ports with
 * static credentials; {@link #quarkusConfig()} gives the Quarkiverse client settings that point at them.
 */
public final class LocalAws implements AutoCloseable {

    /** us-east-1: s3proxy's transient store refuses any other bucket location constraint. */
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "pushcore";
    public static final String SECRET_KEY = "pushcore-local-secret";
    static final String LOCALSTACK_IMAGE = "localstack/localstack:4.4";

    private final URI s3Endpoint;
    private final URI sqsEndpoint;
    private final String accessKey;
    private final String secretKey;
    private final String region;
    private final AutoCloseable stopper;
    private final boolean pathStyle;
    private S3Client s3;
    private SqsClient sqs;

    private LocalAws(URI s3Endpoint, URI sqsEndpoint, String accessKey, String secretKey, String region,
            boolean pathStyle, AutoCloseable stopper) {
        this.s3Endpoint = s3Endpoint;
        this.sqsEndpoint = sqsEndpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
        this.pathStyle = pathStyle;
        this.stopper = stopper;
    }

    /** Starts ElasticMQ and s3proxy in this JVM on free ports; takes about 3 s. */
    public static LocalAws startInProcess() {
        return startInProcess(0, 0);
    }

    /** Starts ElasticMQ and s3proxy in this JVM on the given loopback ports (0: a free one). */
    public static LocalAws startInProcess(int sqsPort, int s3Port) {
        // ElasticMQ's HTTP layer (pekko-http) would parse every request header into a typed model; some the AWS SDK
        // sends do not fit it, and each misfit costs a parse error plus a traced re-parse (11 % of ElasticMQ's CPU in
        // a profile of the event intake). Raw headers are all ElasticMQ needs. Read when its actor system loads its
        // configuration, so before the first start in this JVM.
        System.setProperty("pekko.http.server.parsing.modeled-header-parsing", "off");
        SQSRestServer sqsServer = (sqsPort == 0 ? SQSRestServerBuilder.withDynamicPort()
                : SQSRestServerBuilder.withPort(sqsPort)).withInterface("127.0.0.1").start();
        S3Proxy s3Proxy = null;
        try {
            int sqsBound = sqsServer.waitUntilStarted().localAddress().getPort();
            BlobStoreContext blobs = ContextBuilder.newBuilder("transient")
                    .credentials("identity", "credential")
                    .overrides(new Properties())
                    .build(BlobStoreContext.class);
            s3Proxy = S3Proxy.builder()
                    .blobStore(blobs.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:" + s3Port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            s3Proxy.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!"STARTED".equals(s3Proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start within 30 s");
                }
                Thread.sleep(5);
            }
            S3Proxy proxy = s3Proxy;
            return new LocalAws(URI.create("http://127.0.0.1:" + s3Proxy.getPort()),
                    URI.create("http://127.0.0.1:" + sqsBound), ACCESS_KEY, SECRET_KEY, REGION, true, () -> {
                        proxy.stop();
                        blobs.close();
                        sqsServer.stopAndWait();
                    });
        } catch (Exception e) {
            sqsServer.stopAndWait();
            if (s3Proxy != null) {
                try {
                    s3Proxy.stop();
                } catch (Exception ignored) {
                    // already failing; the start error is the one to report
                }
            }
            throw new IllegalStateException("could not start in-process S3/SQS", e);
        }
    }

    /** Starts LocalStack (S3 and SQS) in Docker through Testcontainers. Check {@link #isDockerAvailable()} first. */
    public static LocalAws startLocalStack() {
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE))
                .withServices("s3", "sqs");
        container.start();
        return new LocalAws(container.getEndpoint(), container.getEndpoint(), container.getAccessKey(),
                container.getSecretKey(), container.getRegion(), true, container::stop);
    }

    public static boolean isDockerAvailable() {
        // Inside @QuarkusTest the context class loader is Quarkus's; Testcontainers' ServiceLoader must see its own.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(DockerClientFactory.class.getClassLoader());
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
            return false;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public String region() {
        return region;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** A plain SDK client for assertions; s3proxy needs path-style access and checksums only when required. */
    public synchronized S3Client s3() {
        if (s3 == null) {
            s3 = S3Client.builder()
                    .endpointOverride(s3Endpoint)
                    .region(Region.of(region))
                    .credentialsProvider(credentials())
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .forcePathStyle(pathStyle)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .build();
        }
        return s3;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = SqsClient.builder()
                    .endpointOverride(sqsEndpoint)
                    .region(Region.of(region))
                    .credentialsProvider(credentials())
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build();
        }
        return sqs;
    }

    public LocalAws createBucket(String name) {
        s3().createBucket(b -> b.bucket(name));
        return this;
    }

    /** Creates a queue and returns its URL. */
    public String createQueue(String name) {
        return sqs().createQueue(b -> b.queueName(name)).queueUrl();
    }

    /** Settings for the Quarkiverse S3 and SQS clients ({@code quarkus.s3.*}, {@code quarkus.sqs.*}). */
    public Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        for (String service : new String[] { "s3", "sqs" }) {
            String prefix = "quarkus." + service + ".";
            config.put(prefix + "endpoint-override", (service.equals("s3") ? s3Endpoint : sqsEndpoint).toString());
            config.put(prefix + "aws.region", region);
            config.put(prefix + "aws.credentials.type", "static");
            config.put(prefix + "aws.credentials.static-provider.access-key-id", accessKey);
            config.put(prefix + "aws.credentials.static-provider.secret-access-key", secretKey);
        }
        config.put("quarkus.s3.path-style-access", Boolean.toString(pathStyle));
        config.put("quarkus.s3.checksum-validation", "false");
        return config;
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        try {
            stopper.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop local AWS services", e);
        }
    }
}
