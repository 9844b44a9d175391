package io.pushcore.event.support;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The default test profile: the event queue in in-process ElasticMQ. */
public class InProcessQueue implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EventQueueAws.class));
    }
}
