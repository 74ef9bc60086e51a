package io.courier.bench.queue;

import io.courier.bench.Bodies;
import io.courier.bench.OptionChecks;
import java.time.Duration;
import java.util.Objects;

/**
 * What a durable-queue run does: body size, messages to warm up and to measure, producers and their window of
 * unconfirmed enqueues each, consumers and their prefetch, and how long a run may go without progress (no confirm,
 * no delivery) before it ends. Immutable; validated on construction, with messages that name the command-line
 * option at fault.
 */
public record QueueBenchSettings(int size, int count, int warmup, int producers, int consumers, int window,
                                 int prefetch, Duration timeout) {
    public static final int MAX_CLIENTS = 64;
    public static final int MAX_WINDOW = 100_000;
    public static final int MAX_PREFETCH = 10_000;

    public QueueBenchSettings {
        Objects.requireNonNull(timeout, "timeout");
        OptionChecks.size(size);
        OptionChecks.count(count);
        OptionChecks.warmup(warmup);
        OptionChecks.range("--producers", producers, 1, MAX_CLIENTS);
        OptionChecks.range("--consumers", consumers, 1, MAX_CLIENTS);
        OptionChecks.range("--window", window, 1, MAX_WINDOW);
        OptionChecks.range("--prefetch", prefetch, 1, MAX_PREFETCH);
        OptionChecks.timeout(timeout);
    }

    /** Messages enqueued in one phase: the warm-up, then the measured ones. */
    long total() {
        return (long) warmup + count;
    }

    /** Unconfirmed enqueues at most, all producers together. */
    long unconfirmedAtMost() {
        return (long) producers * window;
    }

    /** A body of {@code size} bytes with a fixed pattern; shared by every message of a run and never changed. */
    byte[] body() {
        return Bodies.pattern(size);
    }
}
