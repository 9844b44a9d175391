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
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * EventBridge's schedule rule: invokes a function with a "Scheduled Event" every interval. A tick is skipped while
 * the previous invocation still runs, so a slow run never piles up invocations.
 */
public final class ScheduleTrigger implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("schedule").factory());
    private final AtomicReference<CompletableFuture<byte[]>> running = new AtomicReference<>();

    public ScheduleTrigger(LambdaRuntimeApi function, String ruleName, String region, Duration interval,
            Duration timeout, PrintStream console) {
        timer.scheduleAtFixedRate(() -> {
            CompletableFuture<byte[]> previous = running.get();
            if (previous != null && !previous.isDone()) {
                return;
            }
            byte[] event = scheduledEvent(ruleName, region, Instant.now());
            CompletableFuture<byte[]> invocation = function.invoke(event, timeout);
            invocation.whenComplete((result, failure) -> {
                if (failure != null) {
                    console.println("[schedule] " + ruleName + " invocation failed: " + failure.getMessage());
                }
            });
            running.set(invocation);
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
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
