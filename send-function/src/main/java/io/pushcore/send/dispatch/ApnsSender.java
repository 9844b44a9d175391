package io.pushcore.send.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import io.pushcore.model.DeviceToken;
import io.pushcore.model.Push;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.apns.ApnsPayload;
import io.pushcore.provider.apns.ApnsProvider;
import io.pushcore.send.config.SendConfig;
import io.pushcore.send.credential.Credential;
import io.pushcore.send.dispatch.CredentialBreaker.Verdict;
import io.pushcore.send.dispatch.ProviderCache.Warm;

/**
 * APNs, all receivers of one credential together, without a thread parked per receiver: pushy multiplexes the
 * notifications over the credential's HTTP/2 connections and answers each on a future.
 *
 * <p>
 * A round sends what is pending in chunks of up to {@value #CHUNK} notifications; the chunks of a round run at
 * once. Each chunk is one guarded call, so SmallRye's per-call cost is paid per chunk, not per receiver: one call
 * through the credential's {@link CredentialBreaker} (a chunk counts as a failure when none of its notifications
 * got an answer, as one credential rejection when APNs refused the credential) and through the APNs bulkhead.
 * Inside a chunk every notification holds one of the credential's in-flight permits
 * ({@code send.providers.apns.max-in-flight}, kept by {@link ApnsProvider}) from sending until its answer. They do not
 * take the instance's {@code send.dispatch.concurrency} permits, which bound sends holding a connection each (web
 * push): multiplexed notifications are limited by streams ÷ round trip, and 128 of them would cap a credential at
 * 2,560/s against APNs 50 ms away. Until APNs has taken the credential once, one notification goes alone first (see
 * {@link CredentialBreaker}). The deferred ones are sent again, together, with the backoff and time budget of
 * {@link Attempts#repeat}; permanent errors are never retried.
 */
@ApplicationScoped
public class ApnsSender {

    public static final String NAME = "apns";

    /** Notifications per guarded call. */
    static final int CHUNK = 50;

    /** One receiver's notification. {@code target} null lets the provider pick from the credential's topics. */
    public record Addressed(Push push, DeviceToken token, ApnsPayload.Target target) {
    }

    private final ProviderCache providers;
    private final Attempts attempts;
    private final ProviderBulkhead bulkhead;

    ApnsSender(ProviderCache providers, Attempts attempts, SendConfig config) {
        this.providers = providers;
        this.attempts = attempts;
        this.bulkhead = new ProviderBulkhead(NAME, config.dispatch().bulkhead().apns());
    }

    /** One outcome per notification, in order. */
    public List<Delivery> send(Credential.Apns credential, List<Addressed> pushes, long deadline) {
        Warm<ApnsProvider> warm;
        try {
            warm = providers.apns(credential);
        } catch (IllegalArgumentException e) {
            return Attempts.credentialUnusable(pushes.size(), e);
        }
        return attempts.inRounds(pushes.size(),
                (now, retry, outcomes) -> round(warm, pushes, now, retry, outcomes, deadline), deadline);
    }

    /** One {@link Attempts.Round}: sends {@code now} in chunks; the deferred ones go to {@code retry}. */
    private Delivery.Deferred round(Warm<ApnsProvider> warm, List<Addressed> pushes, List<Integer> now,
            List<Integer> retry, Delivery[] outcomes, long deadline) {
        // Until APNs has taken this credential once, one notification goes alone first (see CredentialBreaker).
        int alone = warm.breaker().isProven() ? 0 : 1;
        if (alone > 0) {
            sendChunk(warm, pushes, now.subList(0, 1), outcomes, deadline);
        }
        List<List<Integer>> chunks = new ArrayList<>();
        for (int from = alone; from < now.size(); from += CHUNK) {
            chunks.add(now.subList(from, Math.min(now.size(), from + CHUNK)));
        }
        if (chunks.size() == 1) {
            sendChunk(warm, pushes, chunks.getFirst(), outcomes, deadline);
        } else if (!chunks.isEmpty()) {
            // A virtual thread per chunk only blocks while it waits for a permit or its chunk's answers.
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (List<Integer> chunk : chunks) {
                    executor.submit(() -> sendChunk(warm, pushes, chunk, outcomes, deadline));
                }
            }
        }
        for (int i : now) {
            if (outcomes[i] instanceof Delivery.Deferred) {
                retry.add(i);
            }
        }
        return Attempts.retrying(retry, outcomes, "APNs notifications");
    }

    private void sendChunk(Warm<ApnsProvider> warm, List<Addressed> pushes, List<Integer> indices,
            Delivery[] outcomes, long deadline) {
        List<Delivery> results;
        try {
            results = warm.breaker().call(() -> bulkhead.call(
                    () -> attempts.timed(NAME, () -> sendAll(warm.provider(), pushes, indices)),
                    () -> Collections.nCopies(indices.size(),
                            new Delivery.Deferred("too many APNs sends waiting", null))),
                    CredentialBreaker::verdict, deadline);
        } catch (CredentialBreaker.Open open) {
            attempts.refusedByOpenBreaker(NAME, indices.size());
            results = Collections.nCopies(indices.size(), open.delivery());
        } catch (Attempts.BudgetExhausted e) {
            results = Collections.nCopies(indices.size(), new Delivery.Deferred(e.getMessage(), null));
        }
        for (int j = 0; j < indices.size(); j++) {
            outcomes[indices.get(j)] = results.get(j);
        }
    }

    /**
     * Starts every notification of a chunk, each holding one of the credential's in-flight permits until its answer,
     * then waits for the answers; a notification without an answer within the provider's answer timeout is deferred.
     */
    private List<Delivery> sendAll(ApnsProvider provider, List<Addressed> pushes, List<Integer> indices) {
        List<CompletableFuture<Delivery>> answers = new ArrayList<>(indices.size());
        for (int index : indices) {
            Addressed a = pushes.get(index);
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

    /** What one single APNs answer says about the credential. */
    static Verdict verdict(Delivery delivery) {
        return switch (delivery) {
            case Delivery.Accepted accepted -> Verdict.PROVEN;
            case Delivery.Deferred deferred -> Verdict.FAILED;
            case Delivery.Rejected rejected -> switch (rejected.code()) {
                case CREDENTIAL_REJECTED -> Verdict.REJECTED;
                case UNREGISTERED, PROVIDER_REJECTED -> Verdict.PROVEN;
                // the provider refuses malformed tokens and oversize payloads before sending
                default -> Verdict.NEUTRAL;
            };
        };
    }
}
