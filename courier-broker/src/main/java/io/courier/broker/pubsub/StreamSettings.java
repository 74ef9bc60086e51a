package io.courier.broker.pubsub;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the streams core, applied per stream except {@code maxStreams}. Immutable; validated on construction.
 *
 * @param maxMessages  most messages a stream's retained log keeps (older ones are evicted)
 * @param maxBytes     most bytes a stream's retained log keeps: body frames plus encoded headers per message
 * @param maxAge       how long a message stays in the retained log
 * @param maxStreams   most streams the broker keeps; a publish that would create one more is refused
 * @param catchUpBatch most messages (events and losses) one catch-up pass sends, over all lagging subscriptions
 */
public record StreamSettings(int maxMessages, long maxBytes, Duration maxAge, int maxStreams, int catchUpBatch) {
    /** The largest {@code maxMessages}: the retained log is an array of at most 2^30 slots. */
    public static final int MAX_MESSAGES_LIMIT = 1 << 30;

    public StreamSettings {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxMessages < 1 || maxMessages > MAX_MESSAGES_LIMIT) {
            throw new IllegalArgumentException("maxMessages must be 1 to " + MAX_MESSAGES_LIMIT
                    + " [maxMessages=" + maxMessages + "]");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1 [maxBytes=" + maxBytes + "]");
        }
        if (maxAge.isZero() || maxAge.isNegative() || maxAge.compareTo(Duration.ofDays(365 * 100L)) > 0) {
            throw new IllegalArgumentException("maxAge must be positive and at most 100 years [maxAge=" + maxAge + "]");
        }
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be >= 1 [maxStreams=" + maxStreams + "]");
        }
        if (catchUpBatch < 1) {
            throw new IllegalArgumentException("catchUpBatch must be >= 1 [catchUpBatch=" + catchUpBatch + "]");
        }
    }

    /** 100,000 messages, 64 MiB and one hour per stream; 10,000 streams; 1,024 messages per catch-up pass. */
    public static StreamSettings defaults() {
        return new StreamSettings(100_000, 64L * 1024 * 1024, Duration.ofHours(1), 10_000, 1_024);
    }

    public StreamSettings withMaxMessages(int value) {
        return new StreamSettings(value, maxBytes, maxAge, maxStreams, catchUpBatch);
    }

    public StreamSettings withMaxBytes(long value) {
        return new StreamSettings(maxMessages, value, maxAge, maxStreams, catchUpBatch);
    }

    public StreamSettings withMaxAge(Duration value) {
        return new StreamSettings(maxMessages, maxBytes, value, maxStreams, catchUpBatch);
    }

    public StreamSettings withMaxStreams(int value) {
        return new StreamSettings(maxMessages, maxBytes, maxAge, value, catchUpBatch);
    }

    public StreamSettings withCatchUpBatch(int value) {
        return new StreamSettings(maxMessages, maxBytes, maxAge, maxStreams, value);
    }
}
