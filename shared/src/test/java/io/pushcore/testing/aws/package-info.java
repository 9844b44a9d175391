/**
 * Local stand-ins for the AWS services pushcore uses (S3, SQS), for tests and the local runner: in-process
 * ElasticMQ and s3proxy by default, LocalStack through Testcontainers where Docker exists. Published in shared's
 * test-jar.
 */
package io.pushcore.testing.aws;
