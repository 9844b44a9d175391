package io.pushcore.local;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * EventBridge's schedule rule: invokes a function with a "Scheduled Event" every interval. A tick is skipped while
 * the previous invocation still runs, so a slow run never piles up invocations. Like a rule, it can be disabled and
 * enabled ({@code aws events disable-rule}), and the function can be invoked with the rule's event at once
 * ({@code aws lambda invoke}), e.g. to measure one run from its start.
 */
public final class ScheduleTrigger implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("schedule").factory());
    private final LambdaRuntimeApi function;
    private final String ruleName;
    private final String region;
    private final Duration timeout;
    private final PrintStream console;
    private volatile boolean enabled = true;
    private CompletableFuture<byte[]> running = CompletableFuture.completedFuture(null);

    public ScheduleTrigger(LambdaRuntimeApi function, String ruleName, String region, Duration interval,
            Duration timeout, PrintStream console) {
        this.function = function;
        this.ruleName = ruleName;
        this.region = region;
        this.timeout = timeout;
        this.console = console;
        timer.scheduleAtFixedRate(() -> {
            if (enabled) {
                invoke();
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Invokes the function now unless an invocation is still running; returns the one running afterwards. */
    public synchronized CompletableFuture<byte[]> invoke() {
        if (!running.isDone()) {
            return running;
        }
        CompletableFuture<byte[]> invocation = function.invoke(scheduledEvent(ruleName, region, Instant.now()),
                timeout);
        invocation.whenComplete((result, failure) -> {
            if (failure != null) {
                console.println("[schedule] " + ruleName + " invocation failed: " + failure.getMessage());
            }
        });
        running = invocation;
        return invocation;
    }

    /** While disabled, ticks invoke nothing; an invocation already running goes on ({@link #running()}). */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The latest invocation (completed when none ran yet). */
    public synchronized CompletableFuture<byte[]> running() {
        return running;
    }

    /** The event an EventBridge schedule rule delivers to its Lambda target. */
    public static byte[] scheduledEvent(String ruleName, String region, Instant time) {
        ObjectNode event = HttpApiEvents.JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", "123456789012");
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", region);
        event.putArray("resources").add("arn:aws:events:" + region + ":123456789012:rule/" + ruleName);
        event.putObject("detail");
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
