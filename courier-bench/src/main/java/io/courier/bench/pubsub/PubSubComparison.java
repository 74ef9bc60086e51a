package io.courier.bench.pubsub;

import java.util.List;
import java.util.Objects;

/**
 * A raw JeroMQ run, a Courier streams run and, when measured, a plain-sockets run through the broker, with the
 * same settings in one process; and the design's stream targets (docs/benchmarks.md): at least 60% of raw's rate
 * as a floor, nats-server's rate on this machine as the goal, and nothing lost. Immutable.
 *
 * @param plain null when not measured (a broker given with {@code --broker} has no known plain endpoints)
 */
public record PubSubComparison(PubSubResult raw, PubSubResult plain, PubSubResult courier) {
    /** Streams through the broker at least this share of raw PUB/SUB's rate: the floor. */
    public static final double RATIO_MIN = 0.6;
    /** nats-server 2.9's pub/sub rate on this machine (64-byte messages): the goal, in messages per second. */
    public static final double NATS_MSGS_PER_S = 700_000;

    /** One target and how this comparison fares against it. */
    public record Target(String name, double value, double limit, boolean met) {
    }

    public PubSubComparison {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(courier, "courier");
    }

    /** Courier's rate per subscriber over raw's: 1.0 means as fast. */
    public double ratio() {
        return courier.msgsPerSecond() / raw.msgsPerSecond();
    }

    /** Plain sockets through the broker over raw; NaN when plain was not measured. */
    public double plainRatio() {
        return plain == null ? Double.NaN : plain.msgsPerSecond() / raw.msgsPerSecond();
    }

    /** The three stream targets, in a fixed order. */
    public List<Target> targets() {
        return List.of(
                new Target("msgs/s courier/raw >= " + RATIO_MIN + "x", ratio(), RATIO_MIN, ratio() >= RATIO_MIN),
                new Target("msgs/s courier >= nats-server 700k", courier.msgsPerSecond(), NATS_MSGS_PER_S,
                        courier.msgsPerSecond() >= NATS_MSGS_PER_S),
                new Target("courier lost 0", courier.notDelivered() + courier.gaps(), 0,
                        courier.notDelivered() + courier.gaps() == 0));
    }
}
