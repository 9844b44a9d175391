package io.pushcore.event.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** event.queue.url names a queue that does not exist, so every enqueue fails. */
public class MissingQueue implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EventQueueAws.class, Map.of("missingQueue", "true")));
    }
}
