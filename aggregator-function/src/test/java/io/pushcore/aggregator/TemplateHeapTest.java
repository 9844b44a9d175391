package io.pushcore.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.pushcore.aggregator.config.AggregatorProducer;
import io.pushcore.aggregator.support.TestConfig;
import io.pushcore.aggregator.support.WebhookReceiver;
import io.pushcore.crypto.CredentialCipher;
import io.pushcore.model.Event;
import io.pushcore.queue.QueueBatches;
import io.pushcore.queue.QueueCodec;
import io.pushcore.queue.QueueMessage;
import io.pushcore.route.BucketRoute;
import io.pushcore.route.Callback;
import io.pushcore.route.CallbackLimits;
import io.pushcore.route.RouteCodec;
import io.pushcore.testing.aws.LocalAws;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * 300 buckets whose callbacks are as large as {@link CallbackLimits} allows (URL, header count and bytes, secret), one
 * event each: one aggregator run in a child JVM with the heap the template's aggregator gets (a quarter of its
 * {@code MemorySize}, the JVM's default, since its {@code JAVA_TOOL_OPTIONS}, also passed, set no heap size)
 * completes within the function's timeout, and every event arrives at its webhook, signed.
 */
class TemplateHeapTest {

    static final Path TEMPLATE = Path.of("..", "infra", "template.yaml");
    static final int BUCKETS = 300;

    @Test
    void aRunOverBucketsWithTheLargestCallbacksFitsTheFunctionsHeap() throws Exception {
        String template = Files.readString(TEMPLATE);
        int memoryMb = aggregatorMemorySize(template);
        int timeoutSeconds = aggregatorTimeout(template);
        try (LocalAws aws = LocalAws.startInProcess(); WebhookReceiver receiver = new WebhookReceiver()) {
            aws.createBucket(TestConfig.STATE);
            String queue = aws.createQueue("heap-events");
            String dlq = aws.createQueue("heap-events-dlq");
            CredentialCipher cipher = AggregatorProducer.webhookCipher(TestConfig.aggregator(Map.of()));
            Map<String, UUID> expected = new LinkedHashMap<>();
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < BUCKETS; i++) {
                Callback.Http callback = largestCallback(receiver, i);
                assertThat(CallbackLimits.violations(callback)).isEmpty();
                UUID bucket = UUID.randomUUID();
                aws.s3().putObject(r -> r.bucket(TestConfig.STATE).key(RouteCodec.bucketKey(bucket)),
                        RequestBody.fromBytes(RouteCodec.write(new BucketRoute(bucket,
                                RouteCodec.sealCallback(cipher, bucket, callback),
                                Instant.now().plus(Duration.ofDays(7)), null))));
                Event event = EventAggregatorTest.sent(bucket, 1).get(0);
                events.add(event);
                expected.put(callback.url().getPath(), event.messageId());
            }
            // as event-function enqueues them (many events a message), already past the 60 s package age
            Instant enqueuedAt = Instant.now().minus(Duration.ofMinutes(2));
            for (List<String> group : QueueBatches.of(events)) {
                for (String body : group) {
                    List<Event> batch = QueueCodec.decode(body).events();
                    aws.sqs().sendMessage(r -> r.queueUrl(queue).messageBody(QueueCodec.encode(
                            new QueueMessage.Events(batch, enqueuedAt))));
                }
            }

            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx" + memoryMb / 4 + "m"));
            command.addAll(javaToolOptions(template));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeapLimitedRun.class.getName(),
                    aws.s3Endpoint().toString(), aws.sqsEndpoint().toString(), queue, dlq,
                    Integer.toString(Math.min(40, timeoutSeconds - 10))));
            Path log = Files.createTempFile("heap-limited-run", ".log");
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = child.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                child.destroyForcibly();
            }
            String output = Files.readString(log);
            Files.delete(log);
            System.out.println(output.lines().filter(l -> l.startsWith("heap-limited run")).findFirst()
                    .orElse("no report"));

            assertThat(ended).as("the run ended within the function's timeout (%d s)", timeoutSeconds).isTrue();
            assertThat(child.exitValue()).as("child exit, output:%n%s", tail(output)).isZero();
            assertThat(output).doesNotContain("OutOfMemoryError");
            Map<String, List<UUID>> arrived = new LinkedHashMap<>();
            for (WebhookReceiver.Request request : receiver.requests()) {
                arrived.computeIfAbsent(request.path(), p -> new ArrayList<>())
                        .addAll(EventAggregatorTest.messageIds(request));
                assertThat(request.headers()).containsKey("webhook-signature").containsKey("x-pad-19");
            }
            assertThat(arrived).hasSize(BUCKETS);
            expected.forEach((path, id) -> assertThat(arrived.get(path)).as(path).containsExactly(id));
        }
    }

    /** URL, header count and bytes, and secret each at its maximum. */
    static Callback.Http largestCallback(WebhookReceiver receiver, int index) {
        String base = receiver.url("/hook/" + index).toString() + "?pad=";
        String url = base + "u".repeat(CallbackLimits.MAX_URL_LENGTH - base.length());
        Map<String, String> headers = new LinkedHashMap<>();
        int perHeader = CallbackLimits.MAX_HEADER_BYTES / CallbackLimits.MAX_HEADERS;
        for (int h = 0; h < CallbackLimits.MAX_HEADERS; h++) {
            String name = "x-pad-%02d".formatted(h);
            int extra = h == 0 ? CallbackLimits.MAX_HEADER_BYTES % CallbackLimits.MAX_HEADERS : 0;
            headers.put(name, "v".repeat(perHeader - name.length() + extra));
        }
        byte[] key = new byte[CallbackLimits.MAX_SECRET_BYTES];
        new Random(index).nextBytes(key);
        return new Callback.Http(URI.create(url), headers,
                CallbackLimits.SECRET_PREFIX + Base64.getEncoder().encodeToString(key));
    }

    static int aggregatorMemorySize(String template) {
        return Integer.parseInt(aggregatorProperty(template, "MemorySize"));
    }

    static int aggregatorTimeout(String template) {
        return Integer.parseInt(aggregatorProperty(template, "Timeout"));
    }

    static String aggregatorProperty(String template, String name) {
        String section = template.substring(template.indexOf("\n  AggregatorFunction:"));
        Matcher m = Pattern.compile("\\n      " + name + ": (\\d+)").matcher(section);
        assertThat(m.find()).as("AggregatorFunction %s in the template", name).isTrue();
        return m.group(1);
    }

    /** The Globals' JAVA_TOOL_OPTIONS, which the function's JVM starts with. */
    static List<String> javaToolOptions(String template) {
        Matcher m = Pattern.compile("JAVA_TOOL_OPTIONS: (.+)").matcher(template);
        assertThat(m.find()).isTrue();
        return List.of(m.group(1).trim().split("\\s+"));
    }

    static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
