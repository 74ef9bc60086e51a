package io.courier.broker.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one stream's retained log keeps; the oldest messages go first when a limit is passed. Immutable;
 * validated on construction.
 *
 * @param maxMessages most messages kept
 * @param maxBytes    most bytes kept: body frames plus encoded headers per message
 * @param maxAge      how long a message is kept
 * @param durable     whether the log is also kept in the store, written as messages arrive and read back at start
 */
public record Retention(int maxMessages, long maxBytes, Duration maxAge, boolean durable) {
    /** The largest {@code maxMessages}: the retained log is an array of at most 2^30 slots. */
    public static final int MAX_MESSAGES_LIMIT = 1 << 30;
    /** The longest {@code maxAge}. */
    public static final Duration MAX_AGE_LIMIT = Duration.ofDays(365 * 100L);

    public Retention {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxMessages < 1 || maxMessages > MAX_MESSAGES_LIMIT) {
            throw new IllegalArgumentException("maxMessages must be 1 to " + MAX_MESSAGES_LIMIT
                    + " [maxMessages=" + maxMessages + "]");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1 [maxBytes=" + maxBytes + "]");
        }
        if (maxAge.isZero() || maxAge.isNegative() || maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
            throw new IllegalArgumentException("maxAge must be positive and at most 100 years [maxAge=" + maxAge + "]");
        }
    }

    /** This retention, kept in the store too or not. */
    public Retention withDurable(boolean value) {
        return new Retention(maxMessages, maxBytes, maxAge, value);
    }

    /** A retention in memory only. */
    public Retention(int maxMessages, long maxBytes, Duration maxAge) {
        this(maxMessages, maxBytes, maxAge, false);
    }
}
