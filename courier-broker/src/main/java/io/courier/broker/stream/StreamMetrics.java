package io.courier.broker.stream;

/**
 * What the streams core reports to the broker's metrics; every method defaults to doing nothing, and
 * {@link #NONE} is that no-op for tests. Called on the broker loop thread only. Per-stream counters go through a
 * {@link Series} looked up once when the stream appears, so the publish path does no label lookups.
 */
public interface StreamMetrics {
    StreamMetrics NONE = new StreamMetrics() {
    };

    /** The counters of one stream. */
    interface Series {
        Series NONE = new Series() {
        };

        /** A message was published to the stream. */
        default void onPublished() {
        }

        /** {@code events} EVENTs of the stream were sent to subscribers (live, catch-up or REPLAY). */
        default void onDelivered(int events) {
        }

        /** A LOSS for {@code messages} seqs of the stream was sent to a subscriber. */
        default void onLost(long messages) {
        }
    }

    /** Stream {@code topic} was created; returns the counters it updates from now on. */
    default Series stream(String topic) {
        return Series.NONE;
    }

    /** The core holds {@code count} streams now. */
    default void onStreams(int count) {
    }

    /** The core holds {@code total} subscriptions now, {@code lagging} of them catching up or replaying. */
    default void onSubscriptions(int total, int lagging) {
    }

    /** A publish was refused; {@code reason} is a short label ({@code too_many_streams}). */
    default void onPublishRefused(String reason) {
    }

    /** A DISCONNECT-policy subscription was cancelled because its subscriber's queue was full. */
    default void onSlowDisconnect() {
    }
}
