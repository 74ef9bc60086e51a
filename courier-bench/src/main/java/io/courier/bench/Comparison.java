package io.courier.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Courier run and a raw JeroMQ run with the same settings, in one process, and the design's targets that apply
 * to them (docs/benchmarks.md): the latency targets apply to a ping-pong (one request in flight), the throughput
 * target to 64 or more in flight. Immutable.
 */
public record Comparison(RunResult courier, RunResult raw) {
    /** p50 through the broker at most this many times raw JeroMQ's: two hops instead of one. */
    public static final double P50_RATIO_MAX = 2.0;
    /** p99 through the broker at most this many times raw JeroMQ's p99 in the same run. */
    public static final double P99_RATIO_MAX = 3.0;
    /** With this many requests in flight or more, throughput at least {@link #THROUGHPUT_RATIO_MIN} of raw. */
    public static final int THROUGHPUT_INFLIGHT = 64;
    public static final double THROUGHPUT_RATIO_MIN = 0.5;

    /** One target and how this comparison fares against it. */
    public record Target(String name, double value, double limit, boolean met) {
    }

    public Comparison {
        Objects.requireNonNull(courier, "courier");
        Objects.requireNonNull(raw, "raw");
    }

    public double p50Ratio() {
        return courier.p50Micros() / raw.p50Micros();
    }

    public double p99Ratio() {
        return courier.p99Micros() / raw.p99Micros();
    }

    /**
     * The bench process's CPU per round trip, Courier (client and worker) over raw (both ends); NaN when unknown.
     */
    public double cpuRatio() {
        return courier.cpuSecondsPerMillion() / raw.cpuSecondsPerMillion();
    }

    /** Courier's round trips per second over raw's: 1.0 means as fast. */
    public double throughputRatio() {
        return courier.roundTripsPerSecond() / raw.roundTripsPerSecond();
    }

    /** The targets that apply to these settings, in a fixed order; empty when none does. */
    public List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        if (courier.inflight() == 1) {
            targets.add(new Target("p50 courier/raw <= " + P50_RATIO_MAX + "x", p50Ratio(), P50_RATIO_MAX,
                    p50Ratio() <= P50_RATIO_MAX));
            targets.add(new Target("p99 courier/raw <= " + P99_RATIO_MAX + "x", p99Ratio(), P99_RATIO_MAX,
                    p99Ratio() <= P99_RATIO_MAX));
        }
        if (courier.inflight() >= THROUGHPUT_INFLIGHT) {
            targets.add(new Target("throughput courier/raw >= " + THROUGHPUT_RATIO_MIN + "x", throughputRatio(),
                    THROUGHPUT_RATIO_MIN, throughputRatio() >= THROUGHPUT_RATIO_MIN));
        }
        return targets;
    }
}
