package io.courier.bench;

import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * What one measured run produced: its settings, the latency of every measured round trip (in nanoseconds) and the
 * time the measured round trips took. Immutable by contract: the histogram is a private copy, never changed after
 * the run, so a result may be read from any thread.
 *
 * @param mode         {@code courier} (through the broker) or {@code raw} (JeroMQ alone)
 * @param size         body size in bytes
 * @param inflight     requests kept in flight
 * @param warmup       round trips run before measuring, not recorded
 * @param count        round trips measured
 * @param elapsedNanos from the end of the warm-up to the last measured reply
 * @param latencies    one value per measured round trip, in nanoseconds
 * @param cpuNanos     CPU time the whole bench process used while measuring (client, worker and, in-process, the
 *                     broker; for raw both ends), or -1 when unknown
 * @param brokerCpuNanos CPU time a broker in its own process used over the whole run, warm-up included (read from
 *                     its status document), or -1 when the broker is in-process or did not say
 * @param idleClients  other clients connected to the broker and idle during the run
 */
public record RunResult(String mode, int size, int inflight, int warmup, long count, long elapsedNanos,
                        Histogram latencies, long cpuNanos, long brokerCpuNanos, int idleClients) {

    public RunResult {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(latencies, "latencies");
        if (elapsedNanos <= 0) {
            throw new IllegalArgumentException("elapsedNanos must be positive [elapsedNanos=" + elapsedNanos + "]");
        }
    }

    /** The latency at {@code percentile} (0 to 100), in microseconds. */
    public double percentileMicros(double percentile) {
        return latencies.getValueAtPercentile(percentile) / 1_000.0;
    }

    public double p50Micros() {
        return percentileMicros(50.0);
    }

    public double p99Micros() {
        return percentileMicros(99.0);
    }

    public double p999Micros() {
        return percentileMicros(99.9);
    }

    public double maxMicros() {
        return latencies.getMaxValue() / 1_000.0;
    }

    public double meanMicros() {
        return latencies.getMean() / 1_000.0;
    }

    /** Round trips (a request and its reply) completed per second while measuring. */
    public double roundTripsPerSecond() {
        return count * 1e9 / elapsedNanos;
    }

    /** The same result with what the broker side of the run was: its own CPU time (-1 unknown), idle clients. */
    public RunResult withBroker(long brokerCpu, int idle) {
        return new RunResult(mode, size, inflight, warmup, count, elapsedNanos, latencies, cpuNanos, brokerCpu, idle);
    }

    /** The external broker's CPU seconds per million round trips, warm-up included; NaN when unknown. */
    public double brokerCpuSecondsPerMillion() {
        return ProcessCpu.secondsPerMillion(brokerCpuNanos, (long) warmup + count);
    }

    /** The bench process's CPU seconds per million measured round trips; NaN when unknown. */
    public double cpuSecondsPerMillion() {
        return ProcessCpu.secondsPerMillion(cpuNanos, count);
    }

    public double elapsedSeconds() {
        return elapsedNanos / 1e9;
    }
}
