/** Test profiles and resources for event-function: the event queue on ElasticMQ, LocalStack, or missing. */
package io.pushcore.event.support;
