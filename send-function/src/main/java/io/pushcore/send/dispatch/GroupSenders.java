package io.pushcore.send.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.apns.ApnsPayload;
import io.pushcore.provider.apns.ApnsProvider;
import io.pushcore.provider.fcm.FcmProvider;
import io.pushcore.provider.hms.HmsProvider;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.credential.Credential;

/**
 * The {@link GroupSender} of APNs, FCM and Huawei Push Kit: what differs between them is how a chunk goes out.
 *
 * <p>
 * APNs, without a thread parked per receiver: pushy multiplexes the notifications over the credential's HTTP/2
 * connections and answers each on a future; a chunk is {@value #APNS_CHUNK} notifications, started at once, each
 * holding one of the credential's in-flight permits ({@code send.providers.apns.max-in-flight}, kept by
 * {@link ApnsProvider}) from sending until its answer. They do not take the instance's
 * {@code send.dispatch.concurrency} permits, which bound sends holding a connection each (web push): multiplexed
 * notifications are limited by streams ÷ round trip, and 128 of them would cap a credential at 2,560/s against APNs
 * 50 ms away. FCM, through {@code sendEach} (chunks of 500 inside {@link FcmProvider}, FCM still gets one request
 * per message). Push Kit, through {@link HmsProvider#sendEach} (one request per message, sent concurrently).
 */
@ApplicationScoped
public class GroupSenders {

    public static final String APNS = "apns";
    public static final String FCM = "fcm";
    public static final String HMS = "hms";

    /** APNs notifications per guarded call. */
    static final int APNS_CHUNK = 50;

    static final GroupSender.Limits APNS_LIMITS = new GroupSender.Limits(APNS, "APNs notifications",
            "too many APNs sends waiting", APNS_CHUNK);
    // FcmProvider cuts sendEach into chunks of 500 itself; Push Kit sends each message as a request of its own.
    static final GroupSender.Limits FCM_LIMITS = new GroupSender.Limits(FCM, "FCM messages",
            "too many FCM batches waiting", Integer.MAX_VALUE);
    static final GroupSender.Limits HMS_LIMITS = new GroupSender.Limits(HMS, "Push Kit messages",
            "too many Push Kit batches waiting", Integer.MAX_VALUE);

    /** One receiver's APNs notification. {@code target} null lets the provider pick from the credential's topics. */
    public record ApnsNotification(Push push, DeviceToken token, ApnsPayload.Target target) {
    }

    private final GroupSender<Credential.Apns, ApnsProvider, ApnsNotification> apns;
    private final GroupSender<Credential.Fcm, FcmProvider, FcmProvider.Addressed> fcm;
    private final GroupSender<Credential.Hms, HmsProvider, HmsProvider.Addressed> hms;

    GroupSenders(ProviderCache providers, Attempts attempts, SendConfig config) {
        SendConfig.Bulkhead bulkheads = config.dispatch().bulkhead();
        this.apns = new GroupSender<>(APNS_LIMITS, bulkheads.apns(), GroupSenders::sendApns, providers::apns,
                attempts);
        this.fcm = new GroupSender<>(FCM_LIMITS, bulkheads.fcm(), (provider, receivers, indices, from, to) -> provider
                .sendEach(GroupSender.slice(receivers, indices, from, to)), providers::fcm, attempts);
        this.hms = new GroupSender<>(HMS_LIMITS, bulkheads.hms(), (provider, receivers, indices, from, to) -> provider
                .sendEach(GroupSender.slice(receivers, indices, from, to)), providers::hms, attempts);
    }

    public GroupSender<Credential.Apns, ApnsProvider, ApnsNotification> apns() {
        return apns;
    }

    public GroupSender<Credential.Fcm, FcmProvider, FcmProvider.Addressed> fcm() {
        return fcm;
    }

    public GroupSender<Credential.Hms, HmsProvider, HmsProvider.Addressed> hms() {
        return hms;
    }

    /**
     * An APNs chunk: starts every notification, each holding one of the credential's in-flight permits until its
     * answer, then waits for the answers; a notification without an answer within the provider's answer timeout is
     * deferred.
     */
    private static List<Delivery> sendApns(ApnsProvider provider, List<ApnsNotification> receivers, int[] indices,
            int from, int to) {
        List<CompletableFuture<Delivery>> answers = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
            ApnsNotification a = receivers.get(indices[k]);
            answers.add(provider.sendAsync(a.push(), a.token(), a.target()));
        }
        // One wait for the whole chunk (one park of this thread, not one per answer).
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .get(provider.answerTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the answers that are missing are deferred below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Delivery> results = new ArrayList<>(answers.size());
        for (CompletableFuture<Delivery> answer : answers) {
            Delivery outcome = answer.isDone() && !answer.isCompletedExceptionally() ? answer.join() : null;
            results.add(outcome != null ? outcome : answer.isDone()
                    ? new Delivery.Deferred("internal error", null)
                    : new Delivery.Deferred("APNs did not answer within " + provider.answerTimeout(), null));
        }
        return results;
    }
}
