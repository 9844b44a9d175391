/** What starts an aggregator run: the Lambda handler for the EventBridge schedule, and the local scheduler. */
package io.pushcore.aggregator.trigger;
