package io.courier.bench;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Runs of one benchmark with the same settings in one process: raw JeroMQ (the reference), plain ZeroMQ sockets
 * through the broker when measured, and Courier; and any of their figures as a ratio of raw's. Which targets apply
 * is for each benchmark to say ({@link ReqRepTargets}, {@code PubSubTargets}). Immutable.
 *
 * @param raw     the run over raw JeroMQ
 * @param plain   the run over plain ZeroMQ sockets through the broker, or null when not measured
 * @param courier the run through the broker with Courier
 * @param <R>     the benchmark's result
 */
public record Comparison<R>(R raw, R plain, R courier) {
    public Comparison {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(courier, "courier");
    }

    /** Courier's {@code figure} over raw's: 1.0 means the same; NaN when either is unknown (NaN). */
    public double ratio(ToDoubleFunction<R> figure) {
        return figure.applyAsDouble(courier) / figure.applyAsDouble(raw);
    }

    /** Plain's {@code figure} over raw's; NaN when plain was not measured. */
    public double plainRatio(ToDoubleFunction<R> figure) {
        return plain == null ? Double.NaN : figure.applyAsDouble(plain) / figure.applyAsDouble(raw);
    }
}
