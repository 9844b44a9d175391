/**
 * Metrics on Lambda: {@link io.pushcore.metrics.EmfMeterRegistry} writes pushcore's own meters as CloudWatch Embedded
 * Metric Format at the end of each invocation. Each function adds it to Quarkus' Micrometer registry beside Prometheus
 * (which only the local system scrapes: one process per function there, so its numbers mean something).
 */
package io.pushcore.metrics;
