package io.courier.bench.reqrep;

import java.time.Duration;
import java.util.Objects;

/**
 * What a request/reply run does: body size, round trips to warm up and to measure, requests kept in flight, and
 * the deadline of each request (a run with no reply for that long fails), and idle clients connected to the
 * broker meanwhile. Immutable; validated on construction.
 */
public record ReqRepSettings(int size, int count, int inflight, int warmup, Duration timeout, int idleClients) {
    public static final int MAX_SIZE = 1024 * 1024;
    public static final int MAX_INFLIGHT = 1024;
    public static final int MAX_IDLE_CLIENTS = 10_000;

    public ReqRepSettings {
        Objects.requireNonNull(timeout, "timeout");
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("--size must be 0 to " + MAX_SIZE + " bytes, got " + size);
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1, got " + count);
        }
        if (inflight < 1 || inflight > MAX_INFLIGHT) {
            throw new IllegalArgumentException("--inflight must be 1 to " + MAX_INFLIGHT + ", got " + inflight);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
        }
        if (idleClients < 0 || idleClients > MAX_IDLE_CLIENTS) {
            throw new IllegalArgumentException("--idle-clients must be 0 to " + MAX_IDLE_CLIENTS + ", got "
                    + idleClients);
        }
    }

    /** Settings with no idle clients. */
    public ReqRepSettings(int size, int count, int inflight, int warmup, Duration timeout) {
        this(size, count, inflight, warmup, timeout, 0);
    }

    /** A body of {@code size} bytes with a fixed pattern; shared by every request of a run and never changed. */
    byte[] body() {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return body;
    }

    /** Socket queue bound for the raw run: every request in flight fits, with room to spare. */
    int highWaterMark() {
        return Math.max(1_000, inflight * 4);
    }
}
