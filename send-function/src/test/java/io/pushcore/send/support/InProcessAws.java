package io.pushcore.send.support;

import java.util.List;
import java.util.Map;

import io.pushcore.testing.aws.LocalAwsResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/** The default test profile: S3 and SQS in process (s3proxy and ElasticMQ), local APNs and FCM. */
public class InProcessAws implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LocalAwsResource.class, Map.of("buckets", "pushcore-state")),
                new TestResourceEntry(ProviderFakes.class));
    }
}
