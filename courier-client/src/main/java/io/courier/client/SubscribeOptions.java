package io.courier.client;

import io.courier.protocol.SlowPolicy;
import io.courier.protocol.StreamStart;
import java.time.Instant;
import java.util.Objects;

/**
 * How a subscription reads its streams. Immutable and thread-safe; validated on construction: a null start or
 * policy throws {@code NullPointerException}, a start value that does not fit the start or a
 * {@code maxBufferedEvents} under 1 throws {@code IllegalArgumentException}. Made with {@link #ofNow()},
 * {@link #ofFirst()}, {@link #ofLast()}, {@link #ofSeq(long)} or {@link #ofTime(long)}; the policy defaults to
 * {@link SlowPolicy#LAG} and the buffer to {@value #DEFAULT_MAX_BUFFERED_EVENTS} events.
 *
 * @param start             where each matching stream starts (see {@link StreamStart})
 * @param startValue        the first sequence number for {@link StreamStart#SEQ}, epoch milliseconds for
 *                          {@link StreamStart#TIME}; 0 for the other starts
 * @param policy            what the broker does when this subscriber cannot keep up (see {@link SlowPolicy})
 * @param maxBufferedEvents per stream, the most events the client holds back while it waits for a gap to be
 *                          replayed (more: the gap is reported lost with reason {@code client buffer full}); and per
 *                          subscription, the most listener calls waiting to run (more: the subscription pauses and
 *                          later catches up from the broker's retained log)
 */
public record SubscribeOptions(StreamStart start, long startValue, SlowPolicy policy, int maxBufferedEvents) {
    /**
     * The default of {@link #maxBufferedEvents}: as many as a broker retains per stream by default, so a listener
     * that falls behind for a moment (a callback thread waiting for a time slice on a busy machine) is caught up
     * without loss instead of pausing, and what it would ask the broker to replay is still retained. The bound costs
     * about 200 bytes per queued 64-byte event, some 20 MB for a subscription whose listener is that far behind.
     */
    public static final int DEFAULT_MAX_BUFFERED_EVENTS = 100_000;

    public SubscribeOptions {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(policy, "policy");
        boolean valued = start == StreamStart.SEQ || start == StreamStart.TIME;
        if (valued && startValue < 0 || !valued && startValue != 0) {
            throw new IllegalArgumentException("startValue must be >= 0 for SEQ and TIME, 0 otherwise [start="
                    + start + ", startValue=" + startValue + "]");
        }
        if (maxBufferedEvents < 1) {
            throw new IllegalArgumentException("maxBufferedEvents must be >= 1 [maxBufferedEvents="
                    + maxBufferedEvents + "]");
        }
    }

    /** Only messages published from now on. */
    public static SubscribeOptions ofNow() {
        return of(StreamStart.NOW, 0);
    }

    /** Every retained message, oldest first, then live ones. */
    public static SubscribeOptions ofFirst() {
        return of(StreamStart.FIRST, 0);
    }

    /** The newest retained message of each stream, then live ones. */
    public static SubscribeOptions ofLast() {
        return of(StreamStart.LAST, 0);
    }

    /** Per stream, messages from sequence number {@code seq} on. */
    public static SubscribeOptions ofSeq(long seq) {
        return of(StreamStart.SEQ, seq);
    }

    /** Per stream, messages the broker received at or after {@code epochMillis}. */
    public static SubscribeOptions ofTime(long epochMillis) {
        return of(StreamStart.TIME, epochMillis);
    }

    /** Per stream, messages the broker received at or after {@code time}. */
    public static SubscribeOptions ofTime(Instant time) {
        return ofTime(time.toEpochMilli());
    }

    private static SubscribeOptions of(StreamStart start, long value) {
        return new SubscribeOptions(start, value, SlowPolicy.LAG, DEFAULT_MAX_BUFFERED_EVENTS);
    }

    public SubscribeOptions withPolicy(SlowPolicy value) {
        return new SubscribeOptions(start, startValue, value, maxBufferedEvents);
    }

    public SubscribeOptions withMaxBufferedEvents(int value) {
        return new SubscribeOptions(start, startValue, policy, value);
    }
}
