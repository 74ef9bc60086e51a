package io.courier.client.internal;

import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: {@code min}, doubling on each failure up to {@code max}, each with +/-20% jitter so many
 * clients do not reconnect in step. Thread-free; confined to the connection's I/O thread.
 */
final class Backoff {
    private static final double JITTER = 0.2;

    private final long minMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private int failures;

    /** {@code random} yields values in [0, 1). */
    Backoff(long minMillis, long maxMillis, DoubleSupplier random) {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    long next() {
        long base = minMillis;
        for (int i = 0; i < failures && base < maxMillis; i++) {
            base *= 2;
        }
        base = Math.min(base, maxMillis);
        failures++;
        double factor = 1 - JITTER + 2 * JITTER * random.getAsDouble();
        return Math.max(1, Math.round(base * factor));
    }

    /** The connection proved healthy: the next failure waits {@code min} again. */
    void reset() {
        failures = 0;
    }
}
