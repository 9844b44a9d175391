package io.pushcore.send.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The same tests against LocalStack in Docker; classes using it carry {@code @EnabledIfDocker}. */
public class LocalStackAws implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SendAws.class, Map.of("localstack", "true")));
    }
}
