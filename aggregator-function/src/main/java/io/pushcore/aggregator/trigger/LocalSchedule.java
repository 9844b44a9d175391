package io.pushcore.aggregator.trigger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.pushcore.aggregator.AggregationReport;
import io.pushcore.aggregator.EventAggregator;
import io.pushcore.aggregator.config.AggregatorConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * The in-process schedule for {@code quarkus:dev}: the same run as the Lambda trigger every
 * {@code aggregator.schedule.every}. Off unless {@code aggregator.schedule.enabled} (on in the dev profile only;
 * deployed, EventBridge triggers the Lambda).
 */
@ApplicationScoped
public class LocalSchedule {

    private static final Logger LOG = Logger.getLogger(LocalSchedule.class);

    private final EventAggregator aggregator;
    private final AggregatorConfig config;

    LocalSchedule(EventAggregator aggregator, AggregatorConfig config) {
        this.aggregator = aggregator;
        this.config = config;
    }

    @Scheduled(every = "${aggregator.schedule.every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    void run() {
        AggregationReport report = aggregator.run(config.run().timeBudget());
        if (report.messages() > 0) {
            LOG.infof("aggregator run: %s", report);
        }
    }

    /** Skips the schedule unless {@code aggregator.schedule.enabled}. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        private final AggregatorConfig config;

        Disabled(AggregatorConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.schedule().enabled();
        }
    }
}
