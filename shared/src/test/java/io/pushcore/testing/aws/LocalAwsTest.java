package io.pushcore.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;

class LocalAwsTest {

    @Test
    void storesObjectsAndQueuesMessagesInProcess() {
        try (LocalAws aws = LocalAws.startInProcess()) {
            aws.createBucket("state");
            aws.s3().putObject(b -> b.bucket("state").key("a/b.json"), RequestBody.fromString("{\"x\":1}"));
            assertThat(aws.s3().getObjectAsBytes(b -> b.bucket("state").key("a/b.json")).asUtf8String())
                    .isEqualTo("{\"x\":1}");

            String queue = aws.createQueue("events");
            aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("hello"));
            assertThat(aws.sqs().receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages())
                    .extracting(m -> m.body()).containsExactly("hello");
            assertThat(aws.quarkusConfig()).containsEntry("quarkus.s3.endpoint-override",
                    aws.s3Endpoint().toString());
        }
    }
}
