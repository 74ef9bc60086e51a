package io.courier.bench.pubsub;

import java.util.List;
import java.util.Objects;

/**
 * A raw JeroMQ run, a Courier streams run and, when measured, a plain-sockets run through the broker, with the
 * same settings in one process; and the design's stream targets (docs/benchmarks.md): with one subscriber at least
 * raw's rate, with several at least 70% of it (per subscriber, so of raw's aggregate too), and nothing lost.
 * Immutable.
 *
 * @param plain null when not measured (a broker given with {@code --broker} has no known plain endpoints)
 */
public record PubSubComparison(PubSubResult raw, PubSubResult plain, PubSubResult courier) {
    /** One subscriber: streams through the broker at least raw PUB/SUB's rate (batching on every hop). */
    public static final double RATIO_MIN = 1.0;
    /** Several subscribers: at least this share of raw's rate per subscriber. */
    public static final double FAN_OUT_RATIO_MIN = 0.7;

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

    /** The stream targets, in a fixed order: the rate ratio that applies to the subscriber count, and no loss. */
    public List<Target> targets() {
        double min = courier.subscribers() > 1 ? FAN_OUT_RATIO_MIN : RATIO_MIN;
        return List.of(
                new Target("msgs/s courier/raw >= " + min + "x", ratio(), min, ratio() >= min),
                new Target("courier lost 0", courier.notDelivered() + courier.gaps(), 0,
                        courier.notDelivered() + courier.gaps() == 0));
    }
}
