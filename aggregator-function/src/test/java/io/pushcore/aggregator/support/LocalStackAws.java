package io.pushcore.aggregator.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** S3 and SQS in LocalStack (Docker). */
public class LocalStackAws implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(AggregatorAws.class, Map.of("localstack", "true")));
    }
}
