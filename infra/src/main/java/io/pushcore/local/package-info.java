/**
 * The local runner: one process that stands in for API Gateway, the Lambda Runtime API, EventBridge, SQS and S3, and
 * runs the same packaged Lambda artifacts as production as child processes.
 */
package io.pushcore.local;
