package io.courier.bench.pubsub;

import java.time.Duration;
import java.util.Objects;

/**
 * What a pub/sub run does: body size, messages to warm up and to measure, subscribers, the publisher's window of
 * unconfirmed publishes (Courier runs), and how long a run may go without any message arriving before it ends.
 * Immutable; validated on construction, with messages that name the command-line option at fault.
 */
public record PubSubSettings(int size, int count, int warmup, int subscribers, int window, Duration timeout) {
    public static final int MAX_SIZE = 1024 * 1024;
    public static final int MAX_SUBSCRIBERS = 64;
    public static final int MAX_WINDOW = 100_000;
    /** Socket queue bound of the raw and plain runs, the same as the broker's own sockets. */
    static final int HIGH_WATER_MARK = 100_000;

    public PubSubSettings {
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
        if (subscribers < 1 || subscribers > MAX_SUBSCRIBERS) {
            throw new IllegalArgumentException("--subscribers must be 1 to " + MAX_SUBSCRIBERS + ", got "
                    + subscribers);
        }
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("--window must be 1 to " + MAX_WINDOW + ", got " + window);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
        }
    }

    /** Messages published in all: the warm-up, then the measured ones. */
    long total() {
        return (long) warmup + count;
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
