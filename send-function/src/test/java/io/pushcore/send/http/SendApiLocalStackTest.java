package io.pushcore.send.http;

import io.pushcore.send.support.LocalStackAws;
import io.pushcore.testing.aws.EnabledIfDocker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link SendApiTest} against LocalStack (S3 and SQS in Docker); skipped with a message where Docker is absent. */
@QuarkusTest
@TestProfile(LocalStackAws.class)
@EnabledIfDocker
class SendApiLocalStackTest extends SendApiTest {
}
