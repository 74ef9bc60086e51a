package io.courier.broker.queue;

/**
 * The two clocks of the queue core. Wall-clock millis stamp what is stored (enqueue time, time to live, the
 * duplicate window), so they mean the same after a restart; the loop's monotonic millis time what lives only in
 * memory (ack timeouts, nack delays) and are what {@link QueueCore#onTimers} takes and returns.
 */
public interface QueueClock {
    /** {@link System#currentTimeMillis()} and {@link System#nanoTime()} in millis, as the broker loop uses. */
    QueueClock SYSTEM = new QueueClock() {
        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long loopMillis() {
            return System.nanoTime() / 1_000_000;
        }
    };

    /** Epoch millis. */
    long wallMillis();

    /** Monotonic millis, in the time base of {@link QueueCore#onTimers}. */
    long loopMillis();
}
