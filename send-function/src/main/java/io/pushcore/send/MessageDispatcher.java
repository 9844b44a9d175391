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
import io.pushcore.send.dispatch.ApnsSender;
import io.pushcore.send.dispatch.Attempts;
import io.pushcore.send.dispatch.FcmSender;
import io.pushcore.send.dispatch.HmsSender;
import io.pushcore.send.dispatch.WebPushSender;
import io.pushcore.send.storage.EventQueue;

/**
 * Sends one context to a list of receivers: every receiver gets a message id that carries a MAC over the context
 * id, in request order, whether it fails or not. Receivers are checked one by one (a bad one fails alone), then
 * handed to their provider concurrently on virtual threads: web push one receiver per thread, APNs, FCM and Push
 * Kit one thread per credential (APNs notifications are asynchronous, FCM and Push Kit go through
 * {@code sendEach}). Transient outcomes are retried within {@code send.dispatch.time-budget}, then the receiver
 * gets {@code PROVIDER_UNAVAILABLE}; the {@code dispatch} package holds the per-provider senders.
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
    private final ApnsSender apns;
    private final FcmSender fcm;
    private final HmsSender hms;
    private final EventQueue events;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    MessageDispatcher(MessageIds messageIds, MeterRegistry metrics, Attempts attempts,
            WebPushSender webPush, ApnsSender apns, FcmSender fcm, HmsSender hms, EventQueue events, Clock clock) {
        this.events = events;
        this.clock = clock;
        this.messageIds = messageIds;
        this.metrics = metrics;
        this.attempts = attempts;
        this.webPush = webPush;
        this.apns = apns;
        this.fcm = fcm;
        this.hms = hms;
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
        Map<Credential.Fcm, List<FcmReceiver>> fcmReceivers = new LinkedHashMap<>();
        Map<Credential.Apns, List<ApnsReceiver>> apnsReceivers = new LinkedHashMap<>();
        Map<Credential.Hms, List<HmsReceiver>> hmsReceivers = new LinkedHashMap<>();
        for (int i = 0; i < receivers.size(); i++) {
            int index = i;
            Push push = pushes[i];
            try {
                switch (resolve(bucket, receivers.get(i))) {
                    case Job.WebPush w -> {
                        providers[i] = WebPushSender.NAME;
                        executor.submit(() -> results.compareAndSet(index, null, settled(WebPushSender.NAME, push,
                                () -> webPush.send(w.credential(), push, w.subscription(), deadline))));
                    }
                    case Job.Apns a -> {
                        providers[i] = ApnsSender.NAME;
                        apnsReceivers.computeIfAbsent(a.credential(), c -> new ArrayList<>())
                                .add(new ApnsReceiver(index, new ApnsSender.Addressed(push, a.token(), a.target())));
                    }
                    case Job.Fcm f -> {
                        providers[i] = FcmSender.NAME;
                        fcmReceivers.computeIfAbsent(f.credential(), c -> new ArrayList<>())
                                .add(new FcmReceiver(index, push, f.token()));
                    }
                    case Job.Hms h -> {
                        providers[i] = HmsSender.NAME;
                        hmsReceivers.computeIfAbsent(h.credential(), c -> new ArrayList<>())
                                .add(new HmsReceiver(index, new HmsProvider.Addressed(push, h.token())));
                    }
                }
            } catch (ReceiverError e) {
                count("none", "invalid");
                countError("none", e.code);
                results.set(i, new Settled(push, new ReceiverResult(push.messageId(), List.of(e.getMessage())),
                        EventKind.FAILED));
            } catch (RuntimeException e) {
                LOG.errorf(e, "unexpected failure handing out message %s", push.messageId());
                results.compareAndSet(i, null, settled(providers[i], push,
                        () -> new Delivery.Deferred("internal error", null)));
            }
        }
        fcmReceivers.forEach((credential, group) -> executor.submit(
                () -> sendFcm(credential, group, results, deadline)));
        apnsReceivers.forEach((credential, group) -> executor.submit(
                () -> sendApns(credential, group, results, deadline)));
        hmsReceivers.forEach((credential, group) -> executor.submit(
                () -> sendHms(credential, group, results, deadline)));
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

    private record FcmReceiver(int index, Push push, DeviceToken token) {
    }

    private void sendFcm(Credential.Fcm credential, List<FcmReceiver> group, AtomicReferenceArray<Settled> results,
            long deadline) {
        List<Delivery> outcomes;
        try {
            outcomes = fcm.send(credential,
                    group.stream().map(r -> new FcmProvider.Addressed(r.push(), r.token())).toList(), deadline);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure sending %d FCM messages", group.size());
            outcomes = group.stream().map(r -> (Delivery) new Delivery.Deferred("internal error", null)).toList();
        }
        for (int i = 0; i < group.size(); i++) {
            Delivery outcome = outcomes.get(i);
            results.compareAndSet(group.get(i).index(), null,
                    settled(FcmSender.NAME, group.get(i).push(), () -> outcome));
        }
    }

    private record ApnsReceiver(int index, ApnsSender.Addressed notification) {
    }

    private void sendApns(Credential.Apns credential, List<ApnsReceiver> group, AtomicReferenceArray<Settled> results,
            long deadline) {
        List<Delivery> outcomes;
        try {
            outcomes = apns.send(credential, group.stream().map(ApnsReceiver::notification).toList(), deadline);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure sending %d APNs notifications", group.size());
            outcomes = group.stream().map(r -> (Delivery) new Delivery.Deferred("internal error", null)).toList();
        }
        for (int i = 0; i < group.size(); i++) {
            Delivery outcome = outcomes.get(i);
            ApnsReceiver receiver = group.get(i);
            results.compareAndSet(receiver.index(), null,
                    settled(ApnsSender.NAME, receiver.notification().push(), () -> outcome));
        }
    }

    private record HmsReceiver(int index, HmsProvider.Addressed message) {
    }

    private void sendHms(Credential.Hms credential, List<HmsReceiver> group, AtomicReferenceArray<Settled> results,
            long deadline) {
        List<Delivery> outcomes;
        try {
            outcomes = hms.send(credential, group.stream().map(HmsReceiver::message).toList(), deadline);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure sending %d Push Kit messages", group.size());
            outcomes = group.stream().map(r -> (Delivery) new Delivery.Deferred("internal error", null)).toList();
        }
        for (int i = 0; i < group.size(); i++) {
            Delivery outcome = outcomes.get(i);
            HmsReceiver receiver = group.get(i);
            results.compareAndSet(receiver.index(), null,
                    settled(HmsSender.NAME, receiver.message().push(), () -> outcome));
        }
    }

    /** A receiver checked and matched with its credential. */
    private sealed interface Job {

        record WebPush(Credential.Vapid credential, WebPushSubscription subscription) implements Job {
        }

        record Apns(Credential.Apns credential, DeviceToken token, ApnsPayload.Target target) implements Job {
        }

        record Fcm(Credential.Fcm credential, DeviceToken token) implements Job {
        }

        record Hms(Credential.Hms credential, DeviceToken token) implements Job {
        }
    }

    private Job resolve(Bucket bucket, ReceiverInput input) {
        String path = input.path() + ".";
        if (input.credentialId() == null || input.credentialId().isBlank()) {
            throw new ReceiverError(ErrorCode.UNKNOWN_CREDENTIAL, path + "credentialId: is required");
        }
        Credential credential = bucket.credential(input.credentialId().trim())
                .orElseThrow(() -> new ReceiverError(ErrorCode.UNKNOWN_CREDENTIAL,
                        path + "credentialId: is not a credential of bucket " + bucket.id()));
        if (input.foreignId() != null && input.foreignId().length() > Event.MAX_FOREIGN_ID_LENGTH) {
            throw new ReceiverError(ErrorCode.PAYLOAD_TOO_LARGE,
                    path + "foreignId: is longer than " + Event.MAX_FOREIGN_ID_LENGTH + " characters");
        }
        return switch (credential) {
            case Credential.Vapid vapid -> new Job.WebPush(vapid, subscription(input, path));
            case Credential.Apns apnsCredential -> new Job.Apns(apnsCredential, token(input, credential, path),
                    apnsTarget(input, credential, path));
            case Credential.Fcm fcmCredential -> new Job.Fcm(fcmCredential, androidToken(input, credential,
                    ReceiverTypes.FCM, path));
            case Credential.Hms hmsCredential -> new Job.Hms(hmsCredential, androidToken(input, credential,
                    ReceiverTypes.HMS, path));
            case Credential.FcmLegacy legacy -> throw new ReceiverError(ErrorCode.CREDENTIAL_REJECTED, path
                    + "credentialId: an fcm_legacy credential cannot send: Google shut the legacy FCM HTTP API down "
                    + "in 2024; create the bucket with an fcm_v1 credential (the project's service-account JSON)");
            case Credential.Unusable unusable -> throw new ReceiverError(ErrorCode.CREDENTIAL_REJECTED, path
                    + "credentialId: the stored " + unusable.type() + " credential is no longer usable: "
                    + unusable.reason());
        };
    }

    private WebPushSubscription subscription(ReceiverInput input, String path) {
        if (present(input.token()) && !present(input.endpoint())) {
            throw new ReceiverError(ErrorCode.INVALID_SUBSCRIPTION, path + "token: a vapid credential takes "
                    + "endpoint, p256dh and auth, not a device token");
        }
        if (input.type() != null && ReceiverTypes.isKnown(input.type()) && !ReceiverTypes.VAPID.equals(input.type())) {
            throw new ReceiverError(ErrorCode.INVALID_SUBSCRIPTION, path + "type: " + input.type()
                    + " receivers cannot use a vapid credential");
        }
        // The network policy is applied once, by the transport on the sending thread (no DNS before the fan-out).
        try {
            return WebPushSubscription.parse(input.endpoint(), input.p256dh(), input.auth());
        } catch (IllegalArgumentException e) {
            throw new ReceiverError(ErrorCode.INVALID_SUBSCRIPTION, path + e.getMessage());
        }
    }

    private static DeviceToken token(ReceiverInput input, Credential credential, String path) {
        for (String[] field : new String[][] { { "endpoint", input.endpoint() }, { "p256dh", input.p256dh() },
                { "auth", input.auth() } }) {
            if (present(field[1])) {
                throw new ReceiverError(ErrorCode.INVALID_TOKEN, path + field[0] + ": an " + credential.type()
                        + " credential takes a device token, not web push subscription fields");
            }
        }
        if (!present(input.token())) {
            throw new ReceiverError(ErrorCode.INVALID_TOKEN, path + "token: is required for an " + credential.type()
                    + " credential");
        }
        return new DeviceToken(input.token().trim());
    }

    private static DeviceToken androidToken(ReceiverInput input, Credential credential, String platform,
            String path) {
        DeviceToken token = token(input, credential, path);
        if (input.type() != null && ReceiverTypes.isKnown(input.type()) && !platform.equals(input.type())) {
            throw mismatch(input, credential, path);
        }
        return token;
    }

    private static ApnsPayload.Target apnsTarget(ReceiverInput input, Credential credential, String path) {
        if (input.type() == null || !ReceiverTypes.isKnown(input.type())) {
            return null;
        }
        return switch (input.type()) {
            case ReceiverTypes.APNS_IOS -> ApnsPayload.Target.IOS;
            case ReceiverTypes.APNS_SAFARI -> ApnsPayload.Target.SAFARI;
            default -> throw mismatch(input, credential, path);
        };
    }

    private static ReceiverError mismatch(ReceiverInput input, Credential credential, String path) {
        return new ReceiverError(ErrorCode.INVALID_TOKEN, path + "type: " + input.type()
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

        static boolean isKnown(String type) {
            return List.of(VAPID, FCM, APNS_IOS, APNS_SAFARI, HMS).contains(type);
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

    /** A receiver that cannot be sent to; its message is the wire error string. */
    private static final class ReceiverError extends RuntimeException {
        final ErrorCode code;

        ReceiverError(ErrorCode code, String reason) {
            super(code.describe(reason), null, false, false);
            this.code = code;
        }
    }
}
