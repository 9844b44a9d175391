package io.pushcore.event.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.pushcore.crypto.MessageIds;
import io.pushcore.event.ClientEvent;
import io.pushcore.event.EventCollector;
import io.pushcore.event.support.EventQueueAws;
import io.pushcore.event.support.InProcessQueue;
import io.pushcore.queue.QueueCodec;
import io.pushcore.testing.aws.InjectLocalAws;
import io.pushcore.testing.aws.LocalAws;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Measurement, not a test of speed: client events per second accepted by {@link EventCollector} directly and
 * through HTTP (the test-mode Lambda event server in front of the resource), into in-process ElasticMQ. Runs only
 * with {@code -Dpushcore.measure=true}; it prints the rates and checks that every accepted event is on the queue.
 */
@QuarkusTest
@TestProfile(InProcessQueue.class)
@EnabledIfSystemProperty(named = "pushcore.measure", matches = "true")
class EventIntakeThroughputTest {

    static final int EVENTS = 20_000;
    static final int CONCURRENCY = 64;

    @Inject
    EventCollector collector;

    @Inject
    MessageIds messageIds;

    @InjectLocalAws
    LocalAws aws;

    @Test
    void measuresIntakeRates() throws Exception {
        UUID context = UUID.randomUUID();
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(i -> messageIds.mint(context).toString()).toList();

        long start = System.nanoTime();
        fanOut(i -> collector.collect(context.toString(), "delivered", new ClientEvent(ids.get(i), "f" + i, null,
                null, null)).toCompletableFuture().join());
        double direct = EVENTS / ((System.nanoTime() - start) / 1e9);

        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        AtomicInteger created = new AtomicInteger();
        start = System.nanoTime();
        fanOut(i -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/v1/context/"
                    + context + "/events/clicked")).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messageId\":\"" + ids.get(i)
                            + "\",\"action\":\"default\",\"ts\":\"" + Instant.now() + "\"}"))
                    .build();
            if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 201) {
                created.incrementAndGet();
            }
        });
        double overHttp = EVENTS / ((System.nanoTime() - start) / 1e9);

        System.out.printf("event intake: EventCollector %.0f events/s, HTTP (test Lambda server) %.0f events/s"
                + " (%d events each, %d concurrent, %d cores)%n", direct, overHttp, EVENTS, CONCURRENCY,
                Runtime.getRuntime().availableProcessors());
        assertThat(created.get()).isEqualTo(EVENTS);
        String url = aws.sqs().getQueueUrl(b -> b.queueName(EventQueueAws.QUEUE)).queueUrl();
        int queued = 0;
        List<Message> batch;
        do {
            batch = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            for (Message message : batch) {
                queued += QueueCodec.decode(message.body()).events().size();
            }
        } while (!batch.isEmpty());
        assertThat(queued).isEqualTo(2 * EVENTS);
    }

    interface Task {
        void run(int i) throws Exception;
    }

    static void fanOut(Task task) throws InterruptedException {
        Semaphore permits = new Semaphore(CONCURRENCY);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < EVENTS; i++) {
                int index = i;
                permits.acquire();
                pool.submit(() -> {
                    try {
                        task.run(index);
                    } finally {
                        permits.release();
                    }
                    return null;
                });
            }
        }
    }
}
