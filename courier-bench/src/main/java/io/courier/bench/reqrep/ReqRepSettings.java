package io.courier.bench.reqrep;

import io.courier.bench.Bodies;
import io.courier.bench.OptionChecks;
import java.time.Duration;
import java.util.Objects;

/**
 * What a request/reply run does: body size, round trips to warm up and to measure, requests kept in flight, and
 * the deadline of each request (a run with no reply for that long fails), and idle clients connected to the
 * broker meanwhile. Immutable; validated on construction.
 */
public record ReqRepSettings(int size, int count, int inflight, int warmup, Duration timeout, int idleClients) {
    public static final int MAX_INFLIGHT = 1024;
    public static final int MAX_IDLE_CLIENTS = 10_000;

    public ReqRepSettings {
        Objects.requireNonNull(timeout, "timeout");
        OptionChecks.size(size);
        OptionChecks.count(count);
        OptionChecks.range("--inflight", inflight, 1, MAX_INFLIGHT);
        OptionChecks.warmup(warmup);
        OptionChecks.timeout(timeout);
        OptionChecks.range("--idle-clients", idleClients, 0, MAX_IDLE_CLIENTS);
    }

    /** Settings with no idle clients. */
    public ReqRepSettings(int size, int count, int inflight, int warmup, Duration timeout) {
        this(size, count, inflight, warmup, timeout, 0);
    }

    /** A body of {@code size} bytes with a fixed pattern; shared by every request of a run and never changed. */
    byte[] body() {
        return Bodies.pattern(size);
    }

    /** Socket queue bound for the raw run: every request in flight fits, with room to spare. */
    int highWaterMark() {
        return Math.max(1_000, inflight * 4);
    }
}
