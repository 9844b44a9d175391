package io.pushcore.send.support;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The default test profile: S3 and SQS in process (s3proxy and ElasticMQ) with the state bucket and event queue,
 * local APNs and FCM.
 */
public class InProcessAws implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SendAws.class),
                new TestResourceEntry(ProviderFakes.class));
    }
}
