/** The aggregator's storage: the SQS event queue (and dead-letter queue) and the S3 routing records. */
package io.pushcore.aggregator.storage;
