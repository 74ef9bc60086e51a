package io.courier.bench.pubsub;

import io.courier.bench.Bodies;
import io.courier.bench.OptionChecks;
import java.time.Duration;
import java.util.Objects;

/**
 * What a pub/sub run does: body size, messages to warm up and to measure, subscribers, the publisher's window of
 * unconfirmed publishes (Courier runs), how long a run may go without any message arriving before it ends, and the
 * publishing rate ({@code 0}: as fast as the publisher can). Immutable; validated on construction, with messages
 * that name the command-line option at fault.
 */
public record PubSubSettings(int size, int count, int warmup, int subscribers, int window, Duration timeout,
                             int rate) {
    public static final int MAX_SUBSCRIBERS = 64;
    public static final int MAX_WINDOW = 100_000;
    /** Socket queue bound of the raw and plain runs, the same as the broker's own sockets. */
    static final int HIGH_WATER_MARK = 100_000;

    public PubSubSettings {
        Objects.requireNonNull(timeout, "timeout");
        OptionChecks.size(size);
        OptionChecks.count(count);
        OptionChecks.warmup(warmup);
        OptionChecks.range("--subscribers", subscribers, 1, MAX_SUBSCRIBERS);
        OptionChecks.range("--window", window, 1, MAX_WINDOW);
        OptionChecks.timeout(timeout);
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must be >= 0 (0: as fast as possible), got " + rate);
        }
    }

    /** A run publishing as fast as it can. */
    public PubSubSettings(int size, int count, int warmup, int subscribers, int window, Duration timeout) {
        this(size, count, warmup, subscribers, window, timeout, 0);
    }

    /** Messages published in all: the warm-up, then the measured ones. */
    long total() {
        return (long) warmup + count;
    }

    /** A body of {@code size} bytes with a fixed pattern; shared by every message of a run and never changed. */
    byte[] body() {
        return Bodies.pattern(size);
    }

    /**
     * A copy of {@code template} whose first 8 bytes are {@code nanos}, big-endian: the send time a subscriber
     * reads back with {@link #stampOf}. Bodies under 8 bytes are copied unstamped (their latency is not measured).
     */
    static byte[] stamped(byte[] template, long nanos) {
        byte[] body = template.clone();
        if (body.length >= Long.BYTES) {
            for (int i = Long.BYTES - 1; i >= 0; i--) {
                body[i] = (byte) nanos;
                nanos >>>= 8;
            }
        }
        return body;
    }

    /** The send time {@link #stamped} wrote into {@code body}; 0 for a body under 8 bytes. */
    static long stampOf(byte[] body) {
        if (body == null || body.length < Long.BYTES) {
            return 0;
        }
        long nanos = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            nanos = nanos << 8 | (body[i] & 0xFF);
        }
        return nanos;
    }
}
