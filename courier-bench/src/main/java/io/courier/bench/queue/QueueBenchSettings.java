package io.courier.bench.queue;

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
    public static final int MAX_SIZE = 1024 * 1024;
    public static final int MAX_CLIENTS = 64;
    public static final int MAX_WINDOW = 100_000;
    public static final int MAX_PREFETCH = 10_000;

    public QueueBenchSettings {
        Objects.requireNonNull(timeout, "timeout");
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("--size must be 0 to " + MAX_SIZE + " bytes, got " + size);
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1, got " + count);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        }
        if (producers < 1 || producers > MAX_CLIENTS) {
            throw new IllegalArgumentException("--producers must be 1 to " + MAX_CLIENTS + ", got " + producers);
        }
        if (consumers < 1 || consumers > MAX_CLIENTS) {
            throw new IllegalArgumentException("--consumers must be 1 to " + MAX_CLIENTS + ", got " + consumers);
        }
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("--window must be 1 to " + MAX_WINDOW + ", got " + window);
        }
        if (prefetch < 1 || prefetch > MAX_PREFETCH) {
            throw new IllegalArgumentException("--prefetch must be 1 to " + MAX_PREFETCH + ", got " + prefetch);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
        }
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
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return body;
    }
}
