package io.pushcore.send.http;

import jakarta.inject.Singleton;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.pushcore.metrics.EmfMeterRegistry;

/**
 * Writes what this request counted and timed to the log as EMF before its response leaves, so CloudWatch has every
 * invocation's metrics even though Lambda freezes the environment right after. Concurrent requests share the lines.
 */
@Singleton
public class MetricsFlush {

    private final EmfMeterRegistry emf;

    MetricsFlush(EmfMeterRegistry emf) {
        this.emf = emf;
    }

    @ServerResponseFilter
    public void flush() {
        emf.writeTo(System.out);
    }
}
