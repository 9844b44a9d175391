package io.pushcore.send;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushcore.crypto.MessageIds;
import io.pushcore.model.Event;
import io.pushcore.model.EventKind;
import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.model.WebPushSubscription;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.apns.ApnsPayload;
import io.pushcore.provider.fcm.FcmProvider;
import io.pushcore.provider.hms.HmsProvider;
import io.pushcore.send.credential.Credential;
import io.pushcore.send.dispatch.Attempts;
import io.pushcore.send.dispatch.GroupSender;
import io.pushcore.send.dispatch.GroupSenders;
import io.pushcore.send.dispatch.WebPushSender;
import io.pushcore.send.storage.EventQueue;

/**
 * Sends one context to a list of receivers: every receiver gets a message id that carries a MAC over the context
 * id, in request order, whether it fails or not. Receivers are checked one by one (a bad one fails alone), then
 * handed to their provider concurrently on virtual threads: web push one receiver per thread, APNs, FCM and Push
 * Kit one thread per credential through one {@link GroupSender} (APNs notifications are asynchronous, FCM and Push
 * Kit go through {@code sendEach}). Transient outcomes are retried within {@code send.dispatch.time-budget}, then
 * the receiver gets {@code PROVIDER_UNAVAILABLE}; the {@code dispatch} package holds the senders. A receiver that
 * cannot be sent to is a value ({@link Checked.Refused}), not an exception.
 * Every receiver's outcome becomes a {@code sent}, {@code unregistered} or {@code failed} event, all enqueued
 * together after the fan-out; when the queue does not take them the request fails with 503 instead of reporting
 * results whose events would be lost.
 */
@ApplicationScoped
public class MessageDispatcher {

    private static final Logger LOG = Logger.getLogger(MessageDispatcher.class);
    private static final long DEADLINE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** The longest provider reason a receiver's error (and its event) carries. */
    static final int MAX_REASON_LENGTH = 500;

    private final MessageIds messageIds;
    private final MeterRegistry metrics;
    private final Attempts attempts;
    private final WebPushSender webPush;
    private final GroupSenders groups;
    private final EventQueue events;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    MessageDispatcher(MessageIds messageIds, MeterRegistry metrics, Attempts attempts,
            WebPushSender webPush, GroupSenders groups, EventQueue events, Clock clock) {
        this.events = events;
        this.clock = clock;
        this.messageIds = messageIds;
        this.metrics = metrics;
        this.attempts = attempts;
        this.webPush = webPush;
        this.groups = groups;
    }

    /**
     * Sends and returns one result per receiver, in the receivers' order, within {@code send.dispatch.time-budget}
     * counted from {@code startedNanos} (the request's arrival, {@link System#nanoTime()}), so image downloads and
     * storage reads before the fan-out count too. Senders still busy at the deadline (an attempt started just before
     * it can take a whole provider timeout) are interrupted and their receivers get {@code PROVIDER_UNAVAILABLE}: the
     * request answers, and its events are enqueued, before the Lambda's own timeout would cut it off and lose them.
     * An unexpected failure while handing a receiver out, or inside a sender, gives the receivers it leaves without
     * an outcome {@code PROVIDER_UNAVAILABLE} as well: pushes that already left are always reported and recorded.
     */
    public List<ReceiverResult> dispatch(Bucket bucket, PushContext context, List<ReceiverInput> receivers,
            long startedNanos) {
        long deadline = attempts.deadline(startedNanos);
        AtomicReferenceArray<Settled> results = new AtomicReferenceArray<>(receivers.size());
        Push[] pushes = new Push[receivers.size()];
        Instant pushExpiry = context.pushExpiry(clock.instant());
        for (int i = 0; i < receivers.size(); i++) {
            String foreignId = receivers.get(i).foreignId();
            // A foreignId over the limit is itself the receiver's error; it is not echoed to the webhook.
            pushes[i] = new Push(context.id(), messageIds.mint(context.id()), foreignId != null
                    && foreignId.length() <= Event.MAX_FOREIGN_ID_LENGTH ? foreignId : null, context.content(),
                    pushExpiry);
        }
        String[] providers = new String[receivers.size()];
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            handOut(bucket, receivers, pushes, providers, results, executor, deadline);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure handing out the receivers of context %s", context.id());
        } finally {
            executor.shutdown();
        }
        awaitSenders(executor, deadline);
        Settled[] settled = new Settled[receivers.size()];
        for (int i = 0; i < settled.length; i++) {
            if (results.get(i) == null) {
                String reason = System.nanoTime() - deadline >= 0
                        ? "no answer before the request's time budget ran out" : "internal error";
                // compareAndSet: a sender finishing right now keeps its own outcome
                results.compareAndSet(i, null, settled(providers[i], pushes[i],
                        () -> new Delivery.Deferred(reason, null)));
            }
            settled[i] = results.get(i);
        }
        enqueue(bucket, settled);
        logSummary(settled, startedNanos);
        return Arrays.stream(settled).map(Settled::result).toList();
    }

    /**
     * One line per send (the request's MDC adds the request id, tenant, bucket and context): how many receivers and
     * what became of them, never who they were.
     */
    private static void logSummary(Settled[] settled, long startedNanos) {
        Map<EventKind, Integer> outcomes = new java.util.EnumMap<>(EventKind.class);
        for (Settled one : settled) {
            outcomes.merge(one.kind(), 1, Integer::sum);
        }
        LOG.infof("send: %d receiver(s), %d sent, %d failed, %d unregistered in %d ms", settled.length,
                outcomes.getOrDefault(EventKind.SENT, 0), outcomes.getOrDefault(EventKind.FAILED, 0),
                outcomes.getOrDefault(EventKind.UNREGISTERED, 0), (System.nanoTime() - startedNanos) / 1_000_000);
    }

    /**
     * Checks each receiver and starts its sender: web push one task per receiver, APNs, FCM and HMS one task per
     * credential. A receiver that cannot be sent to, or whose hand-out fails unexpectedly, is settled alone.
     */
    private void handOut(Bucket bucket, List<ReceiverInput> receivers, Push[] pushes, String[] providers,
            AtomicReferenceArray<Settled> results, ExecutorService executor, long deadline) {
        Map<Object, Group<?, ?>> groupsByCredential = new LinkedHashMap<>();
        for (int i = 0; i < receivers.size(); i++) {
            int index = i;
            Push push = pushes[i];
            try {
                switch (resolve(bucket, receivers.get(i), push)) {
                    case Checked.WebPush w -> {
                        providers[i] = WebPushSender.NAME;
                        executor.submit(() -> results.compareAndSet(index, null, settled(WebPushSender.NAME, push,
                                () -> webPush.send(w.credential(), push, w.subscription(), deadline))));
                    }
                    case Checked.Grouped<?, ?> g -> {
                        providers[i] = g.sender().name();
                        join(groupsByCredential, g, i);
                    }
                    case Checked.Refused refused -> {
                        count("none", "invalid");
                        countError("none", refused.code());
                        results.set(i, new Settled(push, new ReceiverResult(push.messageId(),
                                List.of(refused.message())), EventKind.FAILED));
                    }
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "unexpected failure handing out message %s", push.messageId());
                results.compareAndSet(i, null, settled(providers[i], push,
                        () -> new Delivery.Deferred("internal error", null)));
            }
        }
        for (Group<?, ?> group : groupsByCredential.values()) {
            executor.submit(() -> sendGroup(group, pushes, results, deadline));
        }
    }

    @SuppressWarnings("unchecked")
    private static <C, R> void join(Map<Object, Group<?, ?>> groups, Checked.Grouped<C, R> receiver, int index) {
        ((Group<C, R>) groups.computeIfAbsent(receiver.credential(),
                c -> new Group<>(receiver.sender(), receiver.credential()))).add(index, receiver.item());
    }

    /**
     * The receivers of one APNs, FCM or Push Kit credential: what each is sent and, at the same position, its
     * index in the request.
     */
    private static final class Group<C, R> {
        final GroupSender<C, ?, R> sender;
        final C credential;
        final List<R> items = new ArrayList<>();
        int[] indices = new int[8];

        Group(GroupSender<C, ?, R> sender, C credential) {
            this.sender = sender;
            this.credential = credential;
        }

        void add(int index, R item) {
            if (items.size() == indices.length) {
                indices = Arrays.copyOf(indices, indices.length * 2);
            }
            indices[items.size()] = index;
            items.add(item);
        }
    }

    private <C, R> void sendGroup(Group<C, R> group, Push[] pushes, AtomicReferenceArray<Settled> results,
            long deadline) {
        int size = group.items.size();
        String provider = group.sender.name();
        Delivery[] outcomes;
        try {
            outcomes = group.sender.send(group.credential, group.items, deadline);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure sending %d %s", size, group.sender.items());
            outcomes = new Delivery[size];
            Arrays.fill(outcomes, new Delivery.Deferred("internal error", null));
        }
        for (int k = 0; k < size; k++) {
            int index = group.indices[k];
            results.compareAndSet(index, null, settled(provider, pushes[index], outcomes[k]));
        }
    }

    /**
     * Waits for the senders until the deadline plus {@link #DEADLINE_GRACE_NANOS} (the retry loops stop at the
     * deadline themselves and should report their own reason), then interrupts the ones still running.
     */
    private static void awaitSenders(ExecutorService executor, long deadline) {
        try {
            long left = deadline + DEADLINE_GRACE_NANOS - System.nanoTime();
            if (!executor.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** One receiver's push, its result for the response and the event it becomes. */
    private record Settled(Push push, ReceiverResult result, EventKind kind) {

        Event event(UUID bucketId, Instant at) {
            return Event.outcome(push.messageId(), push.contextId(), bucketId, push.foreignId(), kind,
                    result.errors().isEmpty() ? null : result.errors().get(0), at);
        }
    }

    private void enqueue(Bucket bucket, Settled[] results) {
        Instant at = clock.instant();
        try {
            events.enqueue(Arrays.stream(results).map(r -> r.event(bucket.id(), at)).toList());
        } catch (RuntimeException e) { // EventQueue.Unavailable, or a bug: either way the events are not recorded
            LOG.errorf(e, "%d send events of context %s could not be enqueued", results.length,
                    results.length == 0 ? null : results[0].push().contextId());
            throw new ApiProblem.Unavailable("events could not be recorded", List.of("events: the event queue is "
                    + "unavailable, so delivery reports for this request would be lost; the pushes may have gone out"));
        }
    }

    /** What checking one receiver came to: a job for a sender, or why the receiver cannot be sent to. */
    sealed interface Checked {

        record WebPush(Credential.Vapid credential, WebPushSubscription subscription) implements Checked {
        }

        /** One receiver of an APNs, FCM or Push Kit credential; {@code item} is its push and address. */
        record Grouped<C, R>(GroupSender<C, ?, R> sender, C credential, R item) implements Checked {
        }

        /** The receiver cannot be sent to; {@code message} is its wire error string ({@code CODE: path: why}). */
        record Refused(ErrorCode code, String message) implements Checked {

            static Refused of(ErrorCode code, String reason) {
                return new Refused(code, code.describe(reason));
            }
        }
    }

    /** Checks one receiver and matches it with its credential; never throws for a bad receiver. */
    Checked resolve(Bucket bucket, ReceiverInput input, Push push) {
        String path = input.path() + ".";
        if (input.credentialId() == null || input.credentialId().isBlank()) {
            return Checked.Refused.of(ErrorCode.UNKNOWN_CREDENTIAL, path + "credentialId: is required");
        }
        Credential credential = bucket.credential(input.credentialId().trim()).orElse(null);
        if (credential == null) {
            return Checked.Refused.of(ErrorCode.UNKNOWN_CREDENTIAL,
                    path + "credentialId: is not a credential of bucket " + bucket.id());
        }
        if (input.foreignId() != null && input.foreignId().length() > Event.MAX_FOREIGN_ID_LENGTH) {
            return Checked.Refused.of(ErrorCode.PAYLOAD_TOO_LARGE,
                    path + "foreignId: is longer than " + Event.MAX_FOREIGN_ID_LENGTH + " characters");
        }
        return switch (credential) {
            case Credential.Vapid vapid -> webPush(vapid, input, path);
            case Credential.Apns apns -> {
                Checked.Refused bad = tokenProblem(input, credential, path);
                if (bad == null && input.type() != null && ReceiverTypes.isKnown(input.type())
                        && apnsTarget(input.type()) == null) {
                    bad = mismatch(input, credential, path);
                }
                yield bad != null ? bad : new Checked.Grouped<>(groups.apns(), apns,
                        new GroupSenders.ApnsNotification(push, token(input), apnsTarget(input.type())));
            }
            case Credential.Fcm fcm -> {
                Checked.Refused bad = androidProblem(input, credential, ReceiverTypes.FCM, path);
                yield bad != null ? bad
                        : new Checked.Grouped<>(groups.fcm(), fcm, new FcmProvider.Addressed(push, token(input)));
            }
            case Credential.Hms hms -> {
                Checked.Refused bad = androidProblem(input, credential, ReceiverTypes.HMS, path);
                yield bad != null ? bad
                        : new Checked.Grouped<>(groups.hms(), hms, new HmsProvider.Addressed(push, token(input)));
            }
            case Credential.FcmLegacy legacy -> Checked.Refused.of(ErrorCode.CREDENTIAL_REJECTED, path
                    + "credentialId: an fcm_legacy credential cannot send: Google shut the legacy FCM HTTP API down "
                    + "in 2024; create the bucket with an fcm_v1 credential (the project's service-account JSON)");
            case Credential.Unusable unusable -> Checked.Refused.of(ErrorCode.CREDENTIAL_REJECTED, path
                    + "credentialId: the stored " + unusable.type() + " credential is no longer usable: "
                    + unusable.reason());
        };
    }

    private static Checked webPush(Credential.Vapid vapid, ReceiverInput input, String path) {
        if (present(input.token()) && !present(input.endpoint())) {
            return Checked.Refused.of(ErrorCode.INVALID_SUBSCRIPTION, path + "token: a vapid credential takes "
                    + "endpoint, p256dh and auth, not a device token");
        }
        if (input.type() != null && ReceiverTypes.isKnown(input.type()) && !ReceiverTypes.VAPID.equals(input.type())) {
            return Checked.Refused.of(ErrorCode.INVALID_SUBSCRIPTION, path + "type: " + input.type()
                    + " receivers cannot use a vapid credential");
        }
        // The network policy is applied once, by the transport on the sending thread (no DNS before the fan-out).
        try {
            return new Checked.WebPush(vapid, WebPushSubscription.parse(input.endpoint(), input.p256dh(),
                    input.auth()));
        } catch (IllegalArgumentException e) { // the parser's contract: its message names the field
            return Checked.Refused.of(ErrorCode.INVALID_SUBSCRIPTION, path + e.getMessage());
        }
    }

    /** Why a device-token receiver's fields do not fit its credential, or null when they do. */
    private static Checked.Refused tokenProblem(ReceiverInput input, Credential credential, String path) {
        String field = present(input.endpoint()) ? "endpoint" : present(input.p256dh()) ? "p256dh"
                : present(input.auth()) ? "auth" : null;
        if (field != null) {
            return Checked.Refused.of(ErrorCode.INVALID_TOKEN, path + field + ": an " + credential.type()
                    + " credential takes a device token, not web push subscription fields");
        }
        if (!present(input.token())) {
            return Checked.Refused.of(ErrorCode.INVALID_TOKEN, path + "token: is required for an "
                    + credential.type() + " credential");
        }
        return null;
    }

    /** {@link #tokenProblem}, then whether {@code type} names another platform. */
    private static Checked.Refused androidProblem(ReceiverInput input, Credential credential, String platform,
            String path) {
        Checked.Refused bad = tokenProblem(input, credential, path);
        if (bad == null && input.type() != null && ReceiverTypes.isKnown(input.type())
                && !platform.equals(input.type())) {
            return mismatch(input, credential, path);
        }
        return bad;
    }

    /** The device token of a receiver {@link #tokenProblem} passed. */
    private static DeviceToken token(ReceiverInput input) {
        return new DeviceToken(input.token().trim());
    }

    /** The APNs payload {@code type} asks for; null lets the provider pick from the credential's topics. */
    private static ApnsPayload.Target apnsTarget(String type) {
        return ReceiverTypes.APNS_IOS.equals(type) ? ApnsPayload.Target.IOS
                : ReceiverTypes.APNS_SAFARI.equals(type) ? ApnsPayload.Target.SAFARI : null;
    }

    private static Checked.Refused mismatch(ReceiverInput input, Credential credential, String path) {
        return Checked.Refused.of(ErrorCode.INVALID_TOKEN, path + "type: " + input.type()
                + " receivers cannot use an " + credential.type() + " credential");
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** The subscription types CORE's SDKs put in {@code type}; others are ignored. */
    private static final class ReceiverTypes {
        static final String VAPID = "vapid";
        static final String FCM = "fcm/android";
        static final String APNS_IOS = "apns/ios";
        static final String APNS_SAFARI = "apns/safari";
        static final String HMS = "hms/android";

        private static final java.util.Set<String> KNOWN = java.util.Set.of(VAPID, FCM, APNS_IOS, APNS_SAFARI, HMS);

        static boolean isKnown(String type) {
            return KNOWN.contains(type);
        }
    }

    /**
     * The final outcome of one receiver, with the kind of event it becomes. A provider's reason is cut to
     * {@link #MAX_REASON_LENGTH}: it is echoed to the customer and to the webhook, and carried on the event queue.
     */
    private Settled settled(String provider, Push push, Supplier<Delivery> send) {
        Delivery outcome;
        try {
            outcome = send.get();
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                // Cut off at the deadline (awaitSenders): the receiver is already reported, this outcome is unused.
                LOG.debugf("send of message %s interrupted at the deadline", push.messageId());
            } else {
                LOG.errorf(e, "unexpected failure sending message %s", push.messageId());
            }
            outcome = new Delivery.Deferred("internal error", null);
        }
        return settled(provider, push, outcome);
    }

    private Settled settled(String provider, Push push, Delivery outcome) {
        EventKind kind = switch (outcome) {
            case Delivery.Accepted accepted -> EventKind.SENT;
            case Delivery.Rejected rejected when rejected.code() == ErrorCode.UNREGISTERED -> EventKind.UNREGISTERED;
            default -> EventKind.FAILED;
        };
        List<String> errors = switch (outcome) {
            case Delivery.Accepted accepted -> {
                count(provider, "accepted");
                yield List.of();
            }
            case Delivery.Rejected rejected -> {
                count(provider, switch (rejected.code()) {
                    case UNREGISTERED -> "unregistered";
                    case PROVIDER_UNAVAILABLE -> "unavailable";
                    default -> "rejected";
                });
                countError(provider, rejected.code());
                yield List.of(rejected.code().describe(bounded(rejected.reason())));
            }
            case Delivery.Deferred deferred -> {
                count(provider, "unavailable");
                countError(provider, ErrorCode.PROVIDER_UNAVAILABLE);
                yield List.of(ErrorCode.PROVIDER_UNAVAILABLE.describe(bounded(deferred.reason())));
            }
        };
        return new Settled(push, new ReceiverResult(push.messageId(), errors), kind);
    }

    private static String bounded(String reason) {
        return reason == null || reason.length() <= MAX_REASON_LENGTH ? reason
                : reason.substring(0, MAX_REASON_LENGTH - 1) + "\u2026";
    }

    private void count(String provider, String outcome) {
        String tag = provider == null ? "none" : provider;
        // Looking a counter up builds and sorts its tags: once per provider and outcome, not once per receiver.
        counters.computeIfAbsent(tag + "/" + outcome,
                k -> metrics.counter("pushcore.pushes", "provider", tag, "outcome", outcome)).increment();
    }

    /** {@code pushcore.push.errors}: every receiver that failed, by provider and error code (the dashboard's codes). */
    private void countError(String provider, ErrorCode code) {
        String tag = provider == null ? "none" : provider;
        counters.computeIfAbsent(tag + "!" + code,
                k -> metrics.counter("pushcore.push.errors", "provider", tag, "code", code.name())).increment();
    }
}
