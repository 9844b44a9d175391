package io.pushcore.event.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import io.pushcore.crypto.MessageIds;
import io.pushcore.event.support.EventQueueAws;
import io.pushcore.event.support.InProcessQueue;
import io.pushcore.model.Event;
import io.pushcore.model.EventKind;
import io.pushcore.queue.QueueCodec;
import io.pushcore.testing.aws.InjectLocalAws;
import io.pushcore.testing.aws.LocalAws;
import io.quarkus.amazon.lambda.http.LambdaHttpHandler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/** The client event API, through HTTP, asserting what lands on the SQS queue. */
@QuarkusTest
@TestProfile(InProcessQueue.class)
class EventIntakeTest {

    @InjectLocalAws
    LocalAws aws;

    @Inject
    MessageIds messageIds;

    final UUID context = UUID.randomUUID();

    @BeforeEach
    void emptyQueue() {
        drain();
    }

    @Test
    void enqueuesADeliveredEventAsTheJsServiceWorkerSendsIt() {
        UUID message = messageIds.mint(context);

        post("delivered", Map.of("contextId", context.toString(), "messageId", message.toString(),
                "foreignId", "user-1")).statusCode(201).body(emptyString());

        List<Event> events = drain();
        assertThat(events).hasSize(1);
        Event event = events.get(0);
        assertThat(event.messageId()).isEqualTo(message);
        assertThat(event.contextId()).isEqualTo(context);
        assertThat(event.bucketId()).isNull();
        assertThat(event.foreignId()).isEqualTo("user-1");
        assertThat(event.kind()).isEqualTo(EventKind.DELIVERED);
        assertThat(event.ts()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
    }

    /**
     * On Lambda Managed Instances many threads call the one Lambda handler at once: every request answers 201 only
     * with its event on the queue, none is lost or doubled, and concurrent requests share SQS messages.
     */
    @Test
    void concurrentInvocationsOfTheLambdaHandlerLoseNothingAndShareSqsMessages() throws Exception {
        int threads = 32;
        int perThread = 25;
        LambdaHttpHandler handler = new LambdaHttpHandler();
        Set<UUID> sent = ConcurrentHashMap.newKeySet();
        AtomicInteger created = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    UUID message = messageIds.mint(context);
                    sent.add(message);
                    if (handler.handleRequest(apiGatewayEvent(context, "delivered",
                            "{\"messageId\":\"" + message + "\"}"), null).getStatusCode() == 201) {
                        created.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }

        List<List<Event>> messages = drainMessages();
        assertThat(created.get()).isEqualTo(threads * perThread);
        assertThat(messages.stream().flatMap(List::stream).map(Event::messageId))
                .hasSize(threads * perThread).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(messages).hasSizeLessThan(threads * perThread);
    }

    /**
     * Bad events among concurrent invocations (as on Managed Instances, where requests share SQS rounds) fail alone:
     * each bad request answers 400 naming the field, every good one 201 with its event on the queue.
     */
    @Test
    void badEventsAmongConcurrentInvocationsFailAloneAndTheOthersAreKept() throws Exception {
        int threads = 16;
        int perThread = 12;
        LambdaHttpHandler handler = new LambdaHttpHandler();
        Set<UUID> good = ConcurrentHashMap.newKeySet();
        AtomicInteger created = new AtomicInteger();
        List<String> badAnswers = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    UUID message = messageIds.mint(context);
                    String body = switch (i % 4) {
                        case 1 -> "{\"messageId\":\"" + message + "\",\"ts\":\"+999999999-12-31T23:59:59Z\"}";
                        case 3 -> "{\"messageId\":\"" + message + "\",\"foreignId\":\"" + "f".repeat(4000) + "\"}";
                        default -> "{\"messageId\":\"" + message + "\",\"ts\":" + Instant.now().toEpochMilli() + "}";
                    };
                    var response = handler.handleRequest(apiGatewayEvent(context, "delivered", body), null);
                    if (i % 2 == 0) {
                        good.add(message);
                        if (response.getStatusCode() == 201) {
                            created.incrementAndGet();
                        }
                    } else {
                        badAnswers.add(response.getStatusCode() + " " + response.getBody());
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(created.get()).isEqualTo(good.size()).isEqualTo(threads * perThread / 2);
        assertThat(badAnswers).hasSize(threads * perThread / 2).allSatisfy(answer -> assertThat(answer)
                .startsWith("400 ").containsAnyOf("ts: must be within 365 days of now",
                        "foreignId: is longer than 128 characters"));
        assertThat(drain()).extracting(Event::messageId).containsExactlyInAnyOrderElementsOf(good);
    }

    /** What API Gateway (HTTP API, payload 2.0) hands the function for a client event post. */
    static APIGatewayV2HTTPEvent apiGatewayEvent(UUID context, String kind, String body) {
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("POST");
        http.setPath("/v1/context/" + context + "/events/" + kind);
        http.setSourceIp("127.0.0.1");
        APIGatewayV2HTTPEvent.RequestContext requestContext = new APIGatewayV2HTTPEvent.RequestContext();
        requestContext.setHttp(http);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRawPath(http.getPath());
        event.setHeaders(Map.of("content-type", "text/plain"));
        event.setBody(body);
        event.setRequestContext(requestContext);
        return event;
    }

    @Test
    void enqueuesClicksWithTheirActionAndAcceptsCloseForClosed() {
        UUID message = messageIds.mint(context);

        post("clicked", Map.of("messageId", message.toString(), "action", "default")).statusCode(201);
        post("close", Map.of("messageId", message.toString())).statusCode(201);
        post("closed", Map.of("messageId", message.toString())).statusCode(201);

        assertThat(drain()).extracting(Event::kind, Event::action).containsExactlyInAnyOrder(
                Tuple.tuple(EventKind.CLICKED, "default"),
                Tuple.tuple(EventKind.CLOSED, null),
                Tuple.tuple(EventKind.CLOSED, null));
    }

    /** The web worker reports a body click as {@code ""}, the mobile SDKs as {@code "default"}: one value leaves. */
    @Test
    void reportsEveryBodyClickAsDefaultWhicheverSdkSentIt() {
        UUID web = messageIds.mint(context);
        UUID mobile = messageIds.mint(context);
        UUID bare = messageIds.mint(context);
        UUID button = messageIds.mint(context);

        post("clicked", Map.of("contextId", context.toString(), "messageId", web.toString(), "action", ""))
                .statusCode(201);
        post("clicked", Map.of("messageId", mobile.toString(), "action", "default", "ts", Instant.now().toString()))
                .statusCode(201);
        post("clicked", Map.of("messageId", bare.toString())).statusCode(201);
        post("clicked", Map.of("messageId", button.toString(), "action", "buy")).statusCode(201);

        assertThat(drain()).extracting(Event::messageId, Event::action).containsExactlyInAnyOrder(
                Tuple.tuple(web, "default"), Tuple.tuple(mobile, "default"), Tuple.tuple(bare, "default"),
                Tuple.tuple(button, "buy"));
    }

    @Test
    void readsTimestampsInTheFormatsTheSdksSend() {
        UUID message = messageIds.mint(context);
        // A recent moment (timestamps must lie within a year of the server's clock), whole seconds plus 243 ms.
        Instant at = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS).plusMillis(243);
        Instant seconds = at.truncatedTo(ChronoUnit.SECONDS);
        Map<Object, Instant> cases = Map.of(
                at.toString(), at,
                seconds.toString(), seconds,
                seconds.atOffset(ZoneOffset.ofHours(2)).toString(), seconds,
                at.toEpochMilli(), at,
                Long.toString(at.toEpochMilli()), at);

        cases.keySet().forEach(ts -> post("delivered", Map.of("messageId", message.toString(), "ts", ts))
                .statusCode(201));

        assertThat(drain()).extracting(Event::ts).containsExactlyInAnyOrderElementsOf(cases.values());
    }

    @Test
    void refusesAnUnreadableTimestampNamingTheField() {
        post("delivered", Map.of("messageId", messageIds.mint(context).toString(), "ts", "yesterday"))
                .statusCode(400).body("errors", contains(startsWith("ts: ")));
        post("delivered", Map.of("messageId", messageIds.mint(context).toString(), "ts", Map.of()))
                .statusCode(400).body("errors", contains(startsWith("ts: ")));

        assertThat(drain()).isEmpty();
    }

    @Test
    void refusesTimestampsOutsideAYearOfNowNamingTheFieldAndKeepsAnswering() {
        String window = "ts: must be within 365 days of now";
        for (Object ts : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59", 253_402_300_800_000L, "253402300800000", 1e300, -1e300,
                new BigInteger("18446744073709551616000"), Instant.now().minus(Duration.ofDays(366)).toString(),
                Instant.now().plus(Duration.ofDays(366)).toEpochMilli())) {
            post("delivered", Map.of("messageId", messageIds.mint(context).toString(), "ts", ts))
                    .statusCode(400).body("errors", contains(window));
        }
        assertThat(drain()).isEmpty();

        Instant lastYear = Instant.now().minus(Duration.ofDays(364)).truncatedTo(ChronoUnit.MILLIS);
        post("delivered", Map.of("messageId", messageIds.mint(context).toString(), "ts", lastYear.toString()))
                .statusCode(201);
        assertThat(drain()).extracting(Event::ts).containsExactly(lastYear);
    }

    @Test
    void refusesForeignIdsAndActionsLongerThanSendsAllowNamingTheField() {
        UUID message = messageIds.mint(context);

        post("clicked", Map.of("messageId", message.toString(), "foreignId", "f".repeat(129), "action",
                "a".repeat(129))).statusCode(400).body("errors", contains(
                        "foreignId: is longer than 128 characters", "action: is longer than 128 characters"));
        assertThat(drain()).isEmpty();

        post("clicked", Map.of("messageId", message.toString(), "foreignId", "f".repeat(128), "action",
                "a".repeat(128))).statusCode(201);
        assertThat(drain()).extracting(Event::foreignId, Event::action)
                .containsExactly(Tuple.tuple("f".repeat(128), "a".repeat(128)));
    }

    @Test
    void refusesForgedMistypedForeignAndMalformedMessageIdsAndEnqueuesNothing() {
        UUID genuine = messageIds.mint(context);
        String text = genuine.toString();
        String mistyped = text.substring(0, 35) + (text.charAt(35) == '0' ? '1' : '0');
        UUID forged = new UUID(genuine.getMostSignificantBits(), genuine.getLeastSignificantBits() ^ 0x10);
        UUID foreign = messageIds.mint(UUID.randomUUID());

        for (String id : List.of(mistyped, forged.toString(), foreign.toString(), UUID.randomUUID().toString())) {
            post("clicked", Map.of("messageId", id)).statusCode(400)
                    .body("message", equalTo("invalid event"))
                    .body("errors", contains("messageId: is not a message of this context"));
        }
        post("clicked", Map.of("messageId", "not-a-uuid")).statusCode(400)
                .body("errors", contains("messageId: must be a UUID"));
        post("clicked", Map.of("foreignId", "f")).statusCode(400)
                .body("errors", contains("messageId: is required"));
        post("clicked", Map.of("messageId", List.of(text))).statusCode(400)
                .body("errors", contains("messageId: must be a string"));

        assertThat(drain()).isEmpty();
    }

    @Test
    void refusesAContextIdThatIsNotAUuidOrDiffersFromTheBody() {
        UUID message = messageIds.mint(context);

        given().contentType(ContentType.JSON).body(Map.of("messageId", message.toString()))
                .post("/v1/context/not-a-context/events/delivered").then().statusCode(400)
                .body("errors", hasItem("contextId: must be a UUID"));
        post("delivered", Map.of("messageId", message.toString(), "contextId", UUID.randomUUID().toString()))
                .statusCode(400).body("errors", contains("contextId: the body's contextId differs from the path's"));

        assertThat(drain()).isEmpty();
    }

    @Test
    void refusesServerSideKindsAndUnknownKinds() {
        UUID message = messageIds.mint(context);

        post("sent", Map.of("messageId", message.toString())).statusCode(400)
                .body("errors", contains("kind: must be delivered, clicked or closed"));
        post("opened", Map.of("messageId", message.toString())).statusCode(400);

        assertThat(drain()).isEmpty();
    }

    @Test
    void refusesMalformedAndOversizedBodies() {
        given().contentType(ContentType.JSON).body("{\"messageId\":").post(path("delivered")).then()
                .statusCode(400).body("errors", contains("body: is not valid JSON"));
        given().contentType(ContentType.JSON).body("[1]").post(path("delivered")).then()
                .statusCode(400).body("errors", contains("body: must be a JSON object"));
        given().contentType(ContentType.JSON)
                .body(Map.of("messageId", messageIds.mint(context).toString(), "foreignId", "x".repeat(5000)))
                .post(path("delivered")).then().statusCode(413).body("message", equalTo("request body too large"));

        assertThat(drain()).isEmpty();
    }

    @Test
    void ignoresUnknownFieldsAndReadsPlainTextBodies() {
        UUID message = messageIds.mint(context);

        given().contentType(ContentType.TEXT)
                .body("{\"messageId\":\"" + message + "\",\"foreignId\":42,\"extra\":{\"x\":[1]}}")
                .post(path("delivered")).then().statusCode(201);

        assertThat(drain()).extracting(Event::foreignId).containsExactly("42");
    }

    @Test
    void answersCorsPreflightForAnyOrigin() {
        given().header("Origin", "https://shop.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .options(path("delivered")).then()
                .statusCode(200)
                .header("access-control-allow-origin", "https://shop.example.com")
                .header("access-control-allow-methods", containsString("POST"))
                .header("access-control-allow-headers", containsStringIgnoringCase(
                        "content-type"));

        given().header("Origin", "https://shop.example.com").contentType(ContentType.JSON)
                .body(Map.of("messageId", messageIds.mint(context).toString())).post(path("delivered")).then()
                .statusCode(201).header("access-control-allow-origin", "https://shop.example.com");
        drain();
    }

    String path(String kind) {
        return "/v1/context/" + context + "/events/" + kind;
    }

    ValidatableResponse post(String kind, Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post(path(kind)).then();
    }

    List<Event> drain() {
        return drainMessages().stream().flatMap(List::stream).toList();
    }

    /** The events of each SQS message on the queue, which is empty afterwards. */
    List<List<Event>> drainMessages() {
        String url = aws.sqs().getQueueUrl(b -> b.queueName(EventQueueAws.QUEUE)).queueUrl();
        List<List<Event>> bodies = new ArrayList<>();
        while (true) {
            List<Message> messages = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            for (Message m : messages) {
                bodies.add(QueueCodec.decode(m.body()).events());
                aws.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }
}
