package io.courier.bench.queue;

import io.courier.bench.Target;
import java.util.List;
import java.util.Objects;

/**
 * What one durable-queue run measured, and the queue targets of docs/benchmarks.md. Immutable.
 *
 * @param mode               {@code in-process} (a broker started for the run) or {@code broker} (one given by
 *                           {@code --broker})
 * @param sync               the in-process broker's {@code store.syncPolicy}; {@code broker's own} otherwise
 * @param confirmedPerSecond phase 1 (producers alone): measured enqueues confirmed per second
 * @param confirm            phase 1: enqueue call to confirmation, in microseconds
 * @param confirmSeconds     phase 1: from the first measured enqueue to the last confirmation
 * @param ackedPerSecond     phase 2 (producers and consumers together): measured messages delivered and acked per
 *                           second, from the first measured enqueue to the last first delivery
 * @param e2eConfirmedPerSecond phase 2: measured enqueues confirmed per second while consumers took them
 * @param e2eConfirm         phase 2: enqueue call to confirmation, in microseconds
 * @param lost               phase 2: messages confirmed to a producer and never delivered before the run ended
 * @param duplicates         phase 2: deliveries beyond the first of a message
 * @param elapsedSeconds     phase 2: from the first measured enqueue to the last first delivery (or to the end of
 *                           the wait when some never came)
 */
public record QueueResult(String mode, String sync, int size, int producers, int consumers, int window, int prefetch,
                          int warmup, long count, double confirmedPerSecond, Latency confirm, double confirmSeconds,
                          double ackedPerSecond, double e2eConfirmedPerSecond, Latency e2eConfirm, long lost,
                          long duplicates, double elapsedSeconds) {
    /** Durable queues: at least this many confirmed messages per second with fsync before confirm. */
    public static final double CONFIRMED_PER_S_MIN = 100_000;
    /** Durable queues: p99 confirm latency below this, in microseconds (10 ms). */
    public static final double CONFIRM_P99_MICROS_MAX = 10_000;
    /** RabbitMQ 3.10's durable queue with confirms, fsync and acks on this machine, messages per second. */
    public static final double RABBITMQ_ACKED_PER_S = 15_000;
    /** End to end with acks at least this many times RabbitMQ's rate. */
    public static final double ACKED_RATIO_MIN = 5;

    /** Latency percentiles in microseconds. */
    public record Latency(double p50Micros, double p99Micros, double p999Micros, double maxMicros) {
    }

    public QueueResult {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(confirm, "confirm");
        Objects.requireNonNull(e2eConfirm, "e2eConfirm");
    }

    /** The queue targets, in a fixed order. */
    public List<Target> targets() {
        double ackedMin = RABBITMQ_ACKED_PER_S * ACKED_RATIO_MIN;
        return List.of(
                Target.atLeast("confirmed/s >= 100,000", confirmedPerSecond, CONFIRMED_PER_S_MIN),
                Target.below("confirm p99 < 10 ms (us)", confirm.p99Micros(), CONFIRM_P99_MICROS_MAX),
                Target.atLeast("acked/s >= 5x RabbitMQ (75,000)", ackedPerSecond, ackedMin),
                Target.none("lost 0", lost));
    }
}
