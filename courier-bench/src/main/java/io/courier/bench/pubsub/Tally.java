package io.courier.bench.pubsub;

import org.HdrHistogram.Histogram;

/**
 * What one subscriber has received in one run: messages, messages reported lost, and when its measurement began
 * and ended. Written by one thread at a time (the subscriber's socket thread, or its Courier listener calls, which
 * run one at a time), read by the thread that waits for the run; hence the volatile fields.
 */
final class Tally {
    private final long warmup;
    private final long total;
    private final Runnable onComplete;
    private final Histogram latencies = new Histogram(3);   // nanoseconds, measured messages only; one writer
    private volatile long received;
    private volatile long lost;
    private volatile long gaps;
    private volatile long startNanos;
    private volatile long lastNanos;
    private volatile boolean complete;

    Tally(long warmup, long total, Runnable onComplete) {
        this.warmup = warmup;
        this.total = total;
        this.onComplete = onComplete;
    }

    /** Time zero of the run: with no warm-up, the measurement starts when publishing starts. */
    void begin(long nowNanos) {
        if (warmup == 0) {
            startNanos = nowNanos;
        }
    }

    /** One more message arrived; its send time is unknown. */
    void onMessage(long nowNanos) {
        onMessage(nowNanos, 0);
    }

    /**
     * One more message arrived, sent at {@code sentNanos} ({@link PubSubSettings#stampOf}; 0 when unknown): after
     * the warm-up, the time between the two goes into the latency histogram.
     */
    void onMessage(long nowNanos, long sentNanos) {
        if (sentNanos != 0 && received >= warmup) {
            latencies.recordValue(Math.max(0, nowNanos - sentNanos));
        }
        long n = received + 1;
        received = n;
        lastNanos = nowNanos;
        if (n == warmup) {
            startNanos = nowNanos;
        }
        checkComplete();
    }

    /** {@code n} messages will never arrive, as the sender or the client library said. */
    void onLost(long n, long nowNanos) {
        lost = Math.min(total, lost + n);
        lastNanos = nowNanos;
        checkComplete();
    }

    /** {@code n} messages were skipped without being reported lost (a sequence gap). */
    void onGap(long n) {
        gaps += n;
    }

    private void checkComplete() {
        if (!complete && received + lost >= total) {
            complete = true;
            onComplete.run();
        }
    }

    long received() {
        return received;
    }

    long lost() {
        return lost;
    }

    long gaps() {
        return gaps;
    }

    /** Messages received or reported lost: progress, whichever way it went. */
    long accounted() {
        return received + lost;
    }

    /** Messages neither received nor reported lost when the run ended. */
    long missing() {
        return Math.max(0, total - received - lost);
    }

    /** Measured messages received after the warm-up. */
    long measured() {
        return Math.max(0, received - warmup);
    }

    /** Publish-to-delivery latencies of the measured messages, in nanoseconds; read once the run has ended. */
    Histogram latencies() {
        return latencies;
    }

    /** Nanoseconds from the start of the measurement to the last message; 0 when nothing was measured. */
    long elapsedNanos() {
        long start = startNanos;
        return start == 0 || measured() == 0 ? 0 : Math.max(1, lastNanos - start);
    }
}
