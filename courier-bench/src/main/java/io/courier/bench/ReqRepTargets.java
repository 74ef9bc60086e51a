package io.courier.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The request/reply targets of docs/benchmarks.md: the latency targets apply to a ping-pong (one request in
 * flight), the throughput target to {@link #THROUGHPUT_INFLIGHT} or more in flight. Stateless.
 */
public final class ReqRepTargets {
    /** p50 through the broker at most this many times raw JeroMQ's: two hops instead of one. */
    public static final double P50_RATIO_MAX = 2.0;
    /** p99 through the broker at most this many times raw JeroMQ's p99 in the same run. */
    public static final double P99_RATIO_MAX = 3.0;
    /** With this many requests in flight or more, throughput at least {@link #THROUGHPUT_RATIO_MIN} of raw. */
    public static final int THROUGHPUT_INFLIGHT = 64;
    public static final double THROUGHPUT_RATIO_MIN = 0.5;

    private ReqRepTargets() {
    }

    /** The targets that apply to the comparison's settings, in a fixed order; empty when none does. */
    public static List<Target> of(Comparison<RunResult> c) {
        List<Target> targets = new ArrayList<>();
        if (c.courier().inflight() == 1) {
            targets.add(Target.atMost("p50 courier/raw <= " + P50_RATIO_MAX + "x", c.ratio(RunResult::p50Micros),
                    P50_RATIO_MAX));
            targets.add(Target.atMost("p99 courier/raw <= " + P99_RATIO_MAX + "x", c.ratio(RunResult::p99Micros),
                    P99_RATIO_MAX));
        }
        if (c.courier().inflight() >= THROUGHPUT_INFLIGHT) {
            targets.add(Target.atLeast("throughput courier/raw >= " + THROUGHPUT_RATIO_MIN + "x",
                    c.ratio(RunResult::roundTripsPerSecond), THROUGHPUT_RATIO_MIN));
        }
        return targets;
    }
}
