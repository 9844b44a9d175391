package io.pushcore.event.http;

import io.pushcore.event.support.LocalStackQueue;
import io.pushcore.testing.aws.EnabledIfDocker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link EventIntakeTest} against LocalStack's SQS; skipped with a message where Docker is absent. */
@QuarkusTest
@TestProfile(LocalStackQueue.class)
@EnabledIfDocker
class EventIntakeLocalStackTest extends EventIntakeTest {
}
