package io.courier.bench.pubsub;

import java.util.concurrent.locks.LockSupport;

/**
 * Holds a publisher to a rate: message {@code i} goes out no earlier than {@code i / rate} seconds after the first.
 * A publisher that falls behind catches up without waiting, so the mean rate holds even when a park oversleeps.
 * Rate 0 never waits. Confined to the publishing thread.
 */
final class Pacer {
    private final long intervalNanos;
    private long next;

    Pacer(int ratePerSecond) {
        this.intervalNanos = ratePerSecond == 0 ? 0 : Math.max(1, 1_000_000_000L / ratePerSecond);
    }

    /** Waits until the next message is due. */
    void awaitTurn() {
        if (intervalNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        if (next == 0) {
            next = now;
        }
        while (now < next) {
            LockSupport.parkNanos(next - now);
            now = System.nanoTime();
        }
        next += intervalNanos;
    }
}
