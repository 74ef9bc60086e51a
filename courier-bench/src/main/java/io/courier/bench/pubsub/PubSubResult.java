package io.courier.bench.pubsub;

import java.util.Objects;

/**
 * What one pub/sub run produced. Rates are per subscriber: messages it received after the warm-up, divided by the
 * time from the last warm-up message (or the start of publishing, without warm-up) to its last message. Immutable.
 *
 * @param mode            {@code courier} (streams through the broker), {@code plain} (plain ZeroMQ sockets through
 *                        the broker) or {@code raw} (JeroMQ alone)
 * @param size            body size in bytes
 * @param subscribers     subscribers, each counting what it received
 * @param warmup          messages published before the measured ones
 * @param count           messages measured
 * @param msgsPerSecond   mean over the subscribers of the rate each received messages at
 * @param slowestPerSecond the slowest subscriber's rate
 * @param publishedPerSecond messages the publisher handed over (Courier: had confirmed) per second, warm-up
 *                        included; 0 when unknown
 * @param delivered       messages received, summed over the subscribers, warm-up included
 * @param lost            messages the subscribers were told they lost (Courier's {@code StreamLoss}), summed
 * @param missing         messages neither received nor reported lost when the run ended, summed
 * @param gaps            sequence numbers skipped without a loss report, summed (Courier only; should be 0)
 * @param elapsedSeconds  the longest measurement among the subscribers
 * @param latency         publish-to-delivery latency of the measured messages, all subscribers together, in
 *                        microseconds: p50, p99 and max; zeros when the bodies are too small to carry a send time
 * @param rate            the rate the publisher was held to, messages per second; 0 for as fast as it could
 */
public record PubSubResult(String mode, int size, int subscribers, int warmup, long count, double msgsPerSecond,
                           double slowestPerSecond, double publishedPerSecond, long delivered, long lost,
                           long missing, long gaps, double elapsedSeconds, Latency latency,
                           int rate) {
    public PubSubResult {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(latency, "latency");
    }

    /** Latency percentiles in microseconds. */
    public record Latency(double p50Micros, double p99Micros, double maxMicros) {
        public static final Latency UNKNOWN = new Latency(0, 0, 0);
    }

    /** Everything that did not arrive: reported lost, or missing at the end. */
    public long notDelivered() {
        return lost + missing;
    }
}
