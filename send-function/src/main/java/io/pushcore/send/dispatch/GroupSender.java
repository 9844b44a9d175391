package io.pushcore.send.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import io.pushcore.provider.Delivery;
import io.pushcore.provider.PushProvider;
import io.pushcore.send.dispatch.ProviderCache.Warm;

/**
 * All receivers of one APNs, FCM or Push Kit credential, sent together; the providers differ only in how one
 * chunk goes out ({@link Chunk}) and in their names and limits (see {@link GroupSenders}).
 *
 * <p>
 * A round sends what is pending in chunks of up to {@code chunkSize} receivers (APNs 50, FCM and Push Kit all of
 * them in one {@code sendEach}); when a round has several chunks they run at once, a virtual thread each. Each chunk
 * is one guarded call, so the guards' cost is paid per chunk, not per receiver: one call through the credential's
 * {@link CredentialBreaker} (a chunk counts as a failure when none of it got an answer, as one credential rejection
 * when the provider refused the credential; an open breaker refuses the chunk without a request) and through the
 * provider's {@link ProviderBulkhead} (a full line defers the chunk). Until the provider has taken the credential
 * once, one receiver goes alone first (see {@link CredentialBreaker}). The deferred ones are sent again, together,
 * with the backoff and time budget of {@link Attempts#repeat}; permanent outcomes are never resent (FCM counts them
 * against the project's quota). When the budget runs out the receivers still deferred get
 * {@code PROVIDER_UNAVAILABLE}.
 *
 * @param <C> the credential
 * @param <P> the credential's provider
 * @param <R> what one receiver is sent (a push and its address)
 */
public final class GroupSender<C, P extends PushProvider, R> {

    /** How one provider sends one chunk. */
    @FunctionalInterface
    public interface Chunk<P, R> {
        /**
         * Sends {@code receivers.get(indices[k])} for {@code k} in {@code [from, to)} and returns one outcome each,
         * in that order. Never throws for anything the provider or the network did.
         */
        List<Delivery> send(P provider, List<R> receivers, int[] indices, int from, int to);
    }

    /**
     * A provider's names and limits.
     *
     * @param name its metrics tag ({@code apns})
     * @param items what its receivers are called in reasons ({@code APNs notifications})
     * @param whenFull the reason of a chunk its bulkhead's full line turned away
     * @param chunkSize the most receivers one guarded call sends
     */
    record Limits(String name, String items, String whenFull, int chunkSize) {
    }

    private final String name;
    private final String items;
    private final String whenFull;
    private final int chunkSize;
    private final Chunk<P, R> chunk;
    private final Function<C, Warm<P>> providers;
    private final Attempts attempts;
    private final ProviderBulkhead bulkhead;

    /**
     * @param providers the credential's warm provider; throws {@link IllegalArgumentException} when the stored
     *        credential no longer opens
     */
    GroupSender(Limits limits, int bulkheadLimit, Chunk<P, R> chunk, Function<C, Warm<P>> providers,
            Attempts attempts) {
        this.name = limits.name();
        this.items = limits.items();
        this.whenFull = limits.whenFull();
        this.chunkSize = limits.chunkSize();
        this.chunk = chunk;
        this.providers = providers;
        this.attempts = attempts;
        this.bulkhead = new ProviderBulkhead(name, bulkheadLimit);
    }

    /** The provider's metrics tag. */
    public String name() {
        return name;
    }

    /** What the provider's receivers are called in reasons and logs. */
    public String items() {
        return items;
    }

    /** One outcome per receiver, in order. */
    public Delivery[] send(C credential, List<R> receivers, long deadline) {
        Warm<P> warm;
        try {
            warm = providers.apply(credential);
        } catch (IllegalArgumentException e) {
            return Attempts.credentialUnusable(receivers.size(), e);
        }
        return attempts.inRounds(receivers.size(), items,
                (pending, count, outcomes) -> round(warm, receivers, pending, count, outcomes, deadline), deadline);
    }

    /** One {@link Attempts.Round}: the probe if the credential is unproven, then the rest in chunks. */
    private void round(Warm<P> warm, List<R> receivers, int[] pending, int count, Delivery[] outcomes,
            long deadline) {
        int alone = warm.breaker().isProven() ? 0 : 1;
        if (alone > 0) {
            sendChunk(warm, receivers, pending, 0, 1, outcomes, deadline);
        }
        int rest = count - alone;
        if (rest <= 0) {
            return;
        }
        if (rest <= chunkSize) {
            sendChunk(warm, receivers, pending, alone, count, outcomes, deadline);
            return;
        }
        // A virtual thread per chunk only blocks while it waits for a permit or its chunk's answers.
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int from = alone; from < count; from += chunkSize) {
                int start = from;
                int end = Math.min(count, from + chunkSize);
                executor.submit(() -> sendChunk(warm, receivers, pending, start, end, outcomes, deadline));
            }
        }
    }

    private void sendChunk(Warm<P> warm, List<R> receivers, int[] pending, int from, int to, Delivery[] outcomes,
            long deadline) {
        int size = to - from;
        CredentialBreaker.Outcome<List<Delivery>> sent = warm.breaker().call(() -> bulkhead.call(
                () -> attempts.timed(name, () -> chunk.send(warm.provider(), receivers, pending, from, to)),
                () -> Collections.nCopies(size, new Delivery.Deferred(whenFull, null))),
                CredentialBreaker::verdict, deadline);
        switch (sent) {
            case CredentialBreaker.Sent<List<Delivery>> answered -> {
                List<Delivery> results = answered.result();
                for (int k = 0; k < size; k++) {
                    outcomes[pending[from + k]] = results.get(k);
                }
            }
            case CredentialBreaker.NotSent<List<Delivery>> refused -> {
                if (refused.open()) {
                    attempts.refusedByOpenBreaker(name, size);
                }
                for (int k = 0; k < size; k++) {
                    outcomes[pending[from + k]] = refused.delivery();
                }
            }
        }
    }

    /**
     * The receivers {@code indices[from..to)} as a list: a view when they are consecutive (every first round), a
     * copy only for a retry round's scattered ones.
     */
    static <R> List<R> slice(List<R> receivers, int[] indices, int from, int to) {
        if (indices[to - 1] - indices[from] == to - from - 1) {
            return receivers.subList(indices[from], indices[to - 1] + 1);
        }
        List<R> some = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
            some.add(receivers.get(indices[k]));
        }
        return some;
    }
}
