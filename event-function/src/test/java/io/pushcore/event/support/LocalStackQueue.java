package io.pushcore.event.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The event queue in LocalStack (Docker). */
public class LocalStackQueue implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EventQueueAws.class, Map.of("localstack", "true")));
    }
}
