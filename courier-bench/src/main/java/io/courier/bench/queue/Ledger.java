package io.courier.bench.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seqs of one queue confirmed to producers and delivered to consumers, to count what was lost (confirmed, never
 * delivered) and duplicated (delivered more than once). A fresh queue numbers its messages from 1, so seqs up to
 * the expected number index two arrays; any other seq (a resend stored twice would make one) goes to a map.
 * Thread-safe: producers' and consumers' I/O threads record, the benchmark thread waits and counts.
 */
final class Ledger {
    private final AtomicIntegerArray confirmed;
    private final AtomicIntegerArray delivered;
    private final Map<Long, Integer> confirmedBeyond = new ConcurrentHashMap<>();
    private final Map<Long, Integer> deliveredBeyond = new ConcurrentHashMap<>();
    private final AtomicLong distinct = new AtomicLong();
    private volatile long target;
    private volatile CountDownLatch reached = new CountDownLatch(0);
    private volatile long lastDeliveryNanos;

    Ledger(long expected) {
        if (expected >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many messages to track: " + expected);
        }
        confirmed = new AtomicIntegerArray((int) expected + 1);
        delivered = new AtomicIntegerArray((int) expected + 1);
    }

    void confirmed(long seq) {
        bump(confirmed, confirmedBeyond, seq);
    }

    /** Counts a delivery of {@code seq}; the first of a seq counts towards the target of {@link #expect}. */
    void delivered(long seq) {
        if (bump(delivered, deliveredBeyond, seq) == 1) {
            lastDeliveryNanos = System.nanoTime();
            if (distinct.incrementAndGet() == target) {
                reached.countDown();
            }
        }
    }

    /** From now on {@link #awaitDelivered} waits until {@code messages} distinct seqs were delivered in all. */
    void expect(long messages) {
        reached = new CountDownLatch(1);
        target = messages;
        if (distinct.get() >= messages) {
            reached.countDown();
        }
    }

    /**
     * Waits until the expected number of distinct seqs was delivered, or until none arrived for {@code idle};
     * returns whether they all came.
     */
    boolean awaitDelivered(Duration idle) throws InterruptedException {
        long seen = -1;
        while (!reached.await(idle.toNanos(), TimeUnit.NANOSECONDS)) {
            long now = distinct.get();
            if (now == seen) {
                return false;
            }
            seen = now;
        }
        return true;
    }

    /** When the latest first delivery of a seq arrived ({@link System#nanoTime()}). */
    long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    long distinctDelivered() {
        return distinct.get();
    }

    /** Seqs confirmed to a producer and never delivered. */
    long lost() {
        long lost = 0;
        for (int seq = 0; seq < confirmed.length(); seq++) {
            if (confirmed.get(seq) > 0 && delivered.get(seq) == 0) {
                lost++;
            }
        }
        for (Long seq : confirmedBeyond.keySet()) {
            if (!deliveredBeyond.containsKey(seq)) {
                lost++;
            }
        }
        return lost;
    }

    /** Deliveries beyond the first of their seq (redeliveries; with acks and no reconnect there should be none). */
    long duplicates() {
        long extra = 0;
        for (int seq = 0; seq < delivered.length(); seq++) {
            extra += Math.max(0, delivered.get(seq) - 1);
        }
        for (int n : deliveredBeyond.values()) {
            extra += n - 1;
        }
        return extra;
    }

    private static int bump(AtomicIntegerArray counts, Map<Long, Integer> beyond, long seq) {
        if (seq >= 0 && seq < counts.length()) {
            return counts.incrementAndGet((int) seq);
        }
        return beyond.merge(seq, 1, Integer::sum);
    }
}
