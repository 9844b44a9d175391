package io.pushcore.send.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.model.Push;
import io.pushcore.model.Address;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.PushProvider;
import io.pushcore.send.support.InProcessAws;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * What {@link GroupSender} does alike for APNs, FCM and Push Kit, run with each provider's limits (APNs chunks of
 * 50, FCM and Push Kit one {@code sendEach}): the provider itself is a stand-in that answers each receiver from a
 * script and records every chunk it is handed. A {@code @QuarkusTest} for the application's {@link Attempts} and
 * SmallRye fault tolerance.
 */
@QuarkusTest
@TestProfile(InProcessAws.class)
class GroupSenderTest {

    private static final Delivery OK = new Delivery.Accepted("id");
    private static final Delivery BUSY = new Delivery.Deferred("503 busy", null);

    @Inject
    Attempts attempts;

    @Inject
    MeterRegistry metrics;

    static Stream<GroupSender.Limits> providers() {
        return Stream.of(GroupSenders.APNS_LIMITS, GroupSenders.FCM_LIMITS, GroupSenders.HMS_LIMITS);
    }

    /** A provider that answers each receiver from its script (then {@code otherwise}) and records the chunks. */
    static final class Scripted implements PushProvider {
        final Map<String, Deque<Delivery>> scripts = new ConcurrentHashMap<>();
        final List<List<String>> chunks = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile Delivery otherwise = OK;

        void script(String receiver, Delivery... answers) {
            scripts.put(receiver, new ArrayDeque<>(List.of(answers)));
        }

        List<Delivery> chunk(List<String> receivers, int[] indices, int from, int to) {
            List<String> chunk = List.copyOf(GroupSender.slice(receivers, indices, from, to));
            chunks.add(chunk);
            events.add("start " + chunk.getFirst());
            try {
                Thread.sleep(20); // long enough for a concurrent chunk to overlap
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<Delivery> answers = new ArrayList<>();
            for (String receiver : chunk) {
                Deque<Delivery> script = scripts.get(receiver);
                Delivery next = script == null ? null : script.poll();
                answers.add(next != null ? next : otherwise);
            }
            events.add("end " + chunk.getFirst());
            return answers;
        }

        long sent(String receiver) {
            return chunks.stream().flatMap(List::stream).filter(receiver::equals).count();
        }

        @Override
        public Delivery send(Push push, Address address) {
            throw new UnsupportedOperationException("the group sender hands chunks, not single pushes");
        }

        @Override
        public void close() {
        }
    }

    private GroupSender<String, Scripted, String> sender(GroupSender.Limits limits, Scripted provider,
            CredentialBreaker breaker) {
        ProviderCache.Warm<Scripted> warm = new ProviderCache.Warm<>(provider, breaker);
        return new GroupSender<>(limits, 4, (p, receivers, indices, from, to) -> p.chunk(receivers, indices, from, to),
                credential -> warm, attempts);
    }

    private static List<String> receivers(int count) {
        return IntStream.range(0, count).mapToObj(i -> "r" + i).toList();
    }

    private static long deadlineIn(Duration budget) {
        return System.nanoTime() + budget.toNanos();
    }

    /** Chunk sizes of {@code count} receivers cut at {@code chunk}. */
    private static List<Integer> cut(int count, int chunk) {
        List<Integer> sizes = new ArrayList<>();
        for (int left = count; left > 0; left -= Math.min(left, chunk)) {
            sizes.add(Math.min(left, chunk));
        }
        return sizes;
    }

    @ParameterizedTest
    @MethodSource("providers")
    void sendsOneReceiverAloneUntilTheCredentialIsProvenThenAllInChunks(GroupSender.Limits limits) {
        Scripted provider = new Scripted();
        CredentialBreaker breaker = new CredentialBreaker(limits.name(), Duration.ofMinutes(1), 20);
        GroupSender<String, Scripted, String> sender = sender(limits, provider, breaker);

        Delivery[] first = sender.send("credential", receivers(120), deadlineIn(Duration.ofSeconds(5)));

        assertThat(first).hasSize(120).containsOnly(OK);
        List<Integer> sizes = new ArrayList<>(List.of(1));
        sizes.addAll(cut(119, limits.chunkSize()));
        assertThat(provider.chunks).extracting(List::size).containsExactlyInAnyOrderElementsOf(sizes);
        // the probe went out alone and answered before anything else was sent
        assertThat(provider.chunks.getFirst()).containsExactly("r0");
        assertThat(provider.events.subList(0, 2)).containsExactly("start r0", "end r0");
        assertThat(breaker.isProven()).isTrue();

        provider.chunks.clear();
        Delivery[] second = sender.send("credential", receivers(120), deadlineIn(Duration.ofSeconds(5)));

        assertThat(second).hasSize(120).containsOnly(OK);
        assertThat(provider.chunks).extracting(List::size)
                .containsExactlyInAnyOrderElementsOf(cut(120, limits.chunkSize()));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void resendsOnlyTheDeferredOnesTogetherAndNeverAPermanentRefusal(GroupSender.Limits limits) {
        Scripted provider = new Scripted();
        GroupSender<String, Scripted, String> sender = sender(limits, provider,
                new CredentialBreaker(limits.name(), Duration.ofMinutes(1), 20));
        Delivery gone = new Delivery.Rejected(ErrorCode.UNREGISTERED, "410 gone");
        provider.script("r3", BUSY, OK);
        provider.script("r5", gone);
        provider.script("r8", BUSY, BUSY, OK);

        Delivery[] outcomes = sender.send("credential", receivers(10), deadlineIn(Duration.ofSeconds(5)));

        assertThat(outcomes).containsExactly(OK, OK, OK, OK, OK, gone, OK, OK, OK, OK);
        assertThat(provider.chunks).containsExactly(List.of("r0"),
                List.of("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"), List.of("r3", "r8"), List.of("r8"));
        assertThat(provider.sent("r5")).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void anOpenBreakerRefusesTheRestWithoutARequest(GroupSender.Limits limits) {
        Scripted provider = new Scripted();
        GroupSender<String, Scripted, String> sender = sender(limits, provider,
                new CredentialBreaker(limits.name(), Duration.ofMinutes(1), 20));
        Delivery refused = new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED, "403 InvalidProviderToken");
        provider.script("r0", refused);
        double openBefore = metrics.counter("pushcore.breaker.open", "provider", limits.name()).count();

        Delivery[] first = sender.send("credential", receivers(5), deadlineIn(Duration.ofSeconds(5)));
        Delivery[] again = sender.send("credential", receivers(3), deadlineIn(Duration.ofSeconds(5)));

        Delivery paused = new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED, "403 InvalidProviderToken; not sent: "
                + limits.name() + " refused this credential moments ago, it is paused for 60 s");
        assertThat(first).containsExactly(refused, paused, paused, paused, paused);
        assertThat(again).containsOnly(paused).hasSize(3);
        assertThat(provider.chunks).containsExactly(List.of("r0"));
        assertThat(metrics.counter("pushcore.breaker.open", "provider", limits.name()).count() - openBefore)
                .isEqualTo(7);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void pausesACredentialWhoseChunksKeepFailing(GroupSender.Limits limits) {
        Scripted provider = new Scripted();
        provider.otherwise = BUSY;
        GroupSender<String, Scripted, String> sender = sender(limits, provider,
                new CredentialBreaker(limits.name(), Duration.ofMinutes(1), 3));

        Delivery[] outcomes = sender.send("credential", receivers(4), deadlineIn(Duration.ofSeconds(5)));

        // three chunks of nothing but transient failures open the breaker; what is left is refused without a request
        assertThat(provider.chunks).hasSize(3);
        assertThat(outcomes).allSatisfy(d -> assertThat(d).isInstanceOfSatisfying(Delivery.Rejected.class,
                r -> assertThat(r.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE)));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void givesUpWhenTheBudgetRunsOut(GroupSender.Limits limits) {
        Scripted provider = new Scripted();
        provider.otherwise = BUSY;
        GroupSender<String, Scripted, String> sender = sender(limits, provider,
                new CredentialBreaker(limits.name(), Duration.ofMinutes(1), 1000));
        provider.script("r0", OK);

        long start = System.nanoTime();
        Delivery[] outcomes = sender.send("credential", receivers(3), deadlineIn(Duration.ofMillis(400)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // Deferred is what the dispatcher reports as PROVIDER_UNAVAILABLE
        assertThat(outcomes[0]).isEqualTo(OK);
        assertThat(outcomes[1]).isEqualTo(new Delivery.Deferred("503 busy; gave up within the time budget", null));
        assertThat(outcomes[2]).isEqualTo(outcomes[1]);
        assertThat(provider.sent("r1")).isGreaterThan(1);
        assertThat(provider.sent("r0")).isEqualTo(1);
        assertThat(took).isLessThan(Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void givesUpAtOnceWhenTheProvidersRetryAfterOutlastsTheBudget(GroupSender.Limits limits) {
        Scripted provider = new Scripted();
        provider.otherwise = new Delivery.Deferred("429 slow down", Duration.ofSeconds(30));
        GroupSender<String, Scripted, String> sender = sender(limits, provider,
                new CredentialBreaker(limits.name(), Duration.ofMinutes(1), 1000));

        long start = System.nanoTime();
        Delivery[] outcomes = sender.send("credential", receivers(2), deadlineIn(Duration.ofSeconds(5)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(provider.sent("r0")).isEqualTo(1);
        assertThat(outcomes).containsOnly(new Delivery.Deferred("429 slow down; gave up within the time budget",
                null));
    }
}
