package io.pushcore.aggregator.trigger;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import io.pushcore.aggregator.AggregationReport;
import io.pushcore.aggregator.EventAggregator;
import io.pushcore.aggregator.config.AggregatorConfig;
import io.pushcore.metrics.EmfMeterRegistry;

/**
 * The Lambda entry: EventBridge invokes it with a scheduled event (its content is not needed) and it runs the
 * aggregator once, within {@code aggregator.run.time-budget} and at least 10 s before the Lambda's own timeout.
 */
@Named("aggregator")
public class ScheduledTrigger implements RequestHandler<Map<String, Object>, AggregationReport> {

    private static final Logger LOG = Logger.getLogger(ScheduledTrigger.class);
    private static final Duration TIMEOUT_RESERVE = Duration.ofSeconds(10);

    private final EventAggregator aggregator;
    private final AggregatorConfig config;
    private final EmfMeterRegistry emf;

    ScheduledTrigger(EventAggregator aggregator, AggregatorConfig config, EmfMeterRegistry emf) {
        this.aggregator = aggregator;
        this.config = config;
        this.emf = emf;
    }

    @Override
    public AggregationReport handleRequest(Map<String, Object> scheduledEvent, Context context) {
        Duration budget = config.run().timeBudget();
        if (context != null && context.getRemainingTimeInMillis() > 0) {
            Duration remaining = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(TIMEOUT_RESERVE);
            if (remaining.compareTo(budget) < 0) {
                budget = remaining.isNegative() ? Duration.ofSeconds(1) : remaining;
            }
        }
        try {
            AggregationReport report = aggregator.run(budget);
            if (report.messages() > 0) {
                LOG.infof("aggregator run: %s", report);
            }
            return report;
        } finally {
            // The run's metrics go to the log as EMF before Lambda may freeze the environment.
            emf.writeTo(System.out);
        }
    }
}
