package io.pushcore.aggregator;

import io.pushcore.aggregator.support.LocalStackAws;
import io.pushcore.testing.aws.EnabledIfDocker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link EventAggregatorTest} against LocalStack's SQS and S3; skipped with a message where Docker is absent. */
@QuarkusTest
@TestProfile(LocalStackAws.class)
@EnabledIfDocker
class EventAggregatorLocalStackTest extends EventAggregatorTest {
}
