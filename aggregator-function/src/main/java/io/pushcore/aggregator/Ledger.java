package io.pushcore.aggregator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Decides which held queue messages may be deleted, as soon as they may (at-least-once delivery). A message may be
 * deleted once it is {@linkplain #complete complete} (every package holding its events is known and what else became
 * of them is done: dropped, dead-lettered, re-enqueued) and every such package is {@linkplain #settled settled}:
 * delivered, back on the queue as a pending package, or dead-lettered. A message that must come back is
 * {@linkplain #keep kept} and never deleted in this run; SQS shows it again after its visibility timeout. A package
 * that is {@linkplain #released released} (neither delivered nor safely stored) keeps every message it came from.
 *
 * <p>
 * Messages are named by receipt handle. Each deletable message is handed to the sink exactly once, by the call that
 * made it deletable, outside the ledger's lock (the sink should not block: it issues the delete). Thread-safe.
 */
final class Ledger {

    private static final class Entry {
        int open;
        boolean complete;
        boolean kept;
        boolean deleted;
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final Set<String> settledPackages = new HashSet<>();
    private final Consumer<List<String>> sink;

    /** {@code sink} receives the receipt handles that became deletable, in batches. */
    Ledger(Consumer<List<String>> sink) {
        this.sink = sink;
    }

    /** The run holds this message; nothing is decided about it yet. */
    synchronized void hold(String receiptHandle) {
        entries.putIfAbsent(receiptHandle, new Entry());
    }

    /** {@code pkg} holds events of each of its sources (all held): each waits for it to settle. */
    synchronized void add(WebhookPackage pkg) {
        for (String source : pkg.sources()) {
            entry(source).open++;
        }
    }

    /** Every package of this message is added and the rest of its events are taken care of. */
    void complete(String receiptHandle) {
        List<String> deletable = new ArrayList<>(1);
        synchronized (this) {
            Entry entry = entry(receiptHandle);
            entry.complete = true;
            collect(receiptHandle, entry, deletable);
        }
        hand(deletable);
    }

    /** The message must come back (its events are not all taken care of): it is never deleted in this run. */
    synchronized void keep(String receiptHandle) {
        entry(receiptHandle).kept = true;
    }

    /** {@code pkg} was delivered, put back on the queue or dead-lettered; a second call for it changes nothing. */
    void settled(WebhookPackage pkg) {
        List<String> deletable = new ArrayList<>(pkg.sources().size());
        synchronized (this) {
            if (!settledPackages.add(pkg.webhookId())) {
                return;
            }
            for (String source : pkg.sources()) {
                Entry entry = entry(source);
                entry.open--;
                collect(source, entry, deletable);
            }
        }
        hand(deletable);
    }

    /** {@code pkg} could not be delivered nor stored: its messages come back, and it with them. */
    synchronized void released(WebhookPackage pkg) {
        for (String source : pkg.sources()) {
            entry(source).kept = true;
        }
    }

    /** Whether the message was handed to the sink. */
    synchronized boolean isDeleted(String receiptHandle) {
        return entry(receiptHandle).deleted;
    }

    private static void collect(String receiptHandle, Entry entry, List<String> deletable) {
        if (entry.complete && entry.open == 0 && !entry.kept && !entry.deleted) {
            entry.deleted = true;
            deletable.add(receiptHandle);
        }
    }

    private void hand(List<String> deletable) {
        if (!deletable.isEmpty()) {
            sink.accept(List.copyOf(deletable));
        }
    }

    private Entry entry(String receiptHandle) {
        Entry entry = entries.get(receiptHandle);
        if (entry == null) {
            throw new IllegalStateException("not a held message: " + receiptHandle);
        }
        return entry;
    }
}
