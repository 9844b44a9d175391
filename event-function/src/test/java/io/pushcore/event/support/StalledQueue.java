package io.pushcore.event.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The SQS endpoint accepts connections and never answers, so every enqueue can only end by a timeout. */
public class StalledQueue implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EventQueueAws.class, Map.of("stalledSqs", "true")));
    }
}
