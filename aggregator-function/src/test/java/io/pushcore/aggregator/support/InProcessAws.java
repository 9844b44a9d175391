package io.pushcore.aggregator.support;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The default test profile: S3 and SQS in process (s3proxy and ElasticMQ). */
public class InProcessAws implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(AggregatorAws.class));
    }
}
