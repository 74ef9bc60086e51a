package io.courier.bench.pubsub;

import io.courier.bench.Comparison;
import io.courier.bench.Target;
import java.util.List;

/**
 * The stream targets of docs/benchmarks.md: with one subscriber at least raw PUB/SUB's rate, with several at least
 * {@link #FAN_OUT_RATIO_MIN} of it (per subscriber, so of raw's aggregate too), and nothing lost. Stateless.
 */
public final class PubSubTargets {
    /** One subscriber: streams through the broker at least raw PUB/SUB's rate (batching on every hop). */
    public static final double RATIO_MIN = 1.0;
    /** Several subscribers: at least this share of raw's rate per subscriber. */
    public static final double FAN_OUT_RATIO_MIN = 0.7;

    private PubSubTargets() {
    }

    /** The stream targets, in a fixed order: the rate ratio that applies to the subscriber count, and no loss. */
    public static List<Target> of(Comparison<PubSubResult> c) {
        double min = c.courier().subscribers() > 1 ? FAN_OUT_RATIO_MIN : RATIO_MIN;
        return List.of(
                Target.atLeast("msgs/s courier/raw >= " + min + "x", c.ratio(PubSubResult::msgsPerSecond), min),
                Target.none("courier lost 0", c.courier().notDelivered() + c.courier().gaps()));
    }
}
