package io.courier.broker.stream;

import io.courier.protocol.Headers;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream in the core: its retained log and the retention that bounds it, the cached array of subscriptions
 * live on it (the fan-out list of the hot path) and the subscriptions waiting for a seq it has not reached.
 * Confined to the broker loop thread.
 */
final class StreamEntry {
    private static final SubscriptionEntry[] NONE = new SubscriptionEntry[0];

    final String topic;
    final RetainedLog log;
    final StreamMetrics.Series metrics;
    /** Whether the log is kept in the store too; fixed when the stream is created (or restored). */
    final boolean durable;
    /** For a durable stream, the oldest seq the store may still hold: what was evicted from there is deleted. */
    long storedFrom = 1;
    /** The subscriptions live on this stream; null when it must be rebuilt (a subscription came, went or lags). */
    SubscriptionEntry[] live;
    /** The limits of {@link #log}, resolved from the settings by topic; set again when the settings change. */
    private Retention retention;
    private long maxAgeMillis;
    /** Cursors whose next seq is beyond head + 1; null when there are none (the usual case). */
    private List<Cursor> waiters;

    StreamEntry(String topic, StreamMetrics.Series metrics, Retention retention) {
        this.topic = topic;
        this.log = new RetainedLog(topic);
        this.metrics = metrics;
        this.durable = retention.durable();
        retain(retention);
    }

    /** The limits the log meets from its next append or age check on. */
    void retain(Retention value) {
        retention = value;
        maxAgeMillis = value.maxAge().toMillis();
    }

    Retention retention() {
        return retention;
    }

    /** Appends a message stamped {@code nowMillis}, then evicts what passes this stream's count, bytes or age. */
    StreamMessage append(long nowMillis, Headers headers, byte[][] body) {
        StreamMessage message = log.append(nowMillis, headers, body, retention.maxMessages(), retention.maxBytes());
        log.evictOlderThan(nowMillis - maxAgeMillis);
        return message;
    }

    /** Evicts the messages older than this stream's maxAge at wall-clock time {@code nowMillis}. */
    void evictByAge(long nowMillis) {
        log.evictOlderThan(nowMillis - maxAgeMillis);
    }

    void addWaiter(Cursor cursor) {
        if (waiters == null) {
            waiters = new ArrayList<>(2);
        }
        waiters.add(cursor);
    }

    /** True when {@code cursor} was waiting here. */
    boolean removeWaiter(Cursor cursor) {
        boolean removed = waiters != null && waiters.remove(cursor);
        if (removed && waiters.isEmpty()) {
            waiters = null;
        }
        return removed;
    }

    boolean hasWaiters() {
        return waiters != null;
    }

    /**
     * Seq {@code seq} was just appended: the waiters that wanted it from there on become live on this stream.
     */
    void wake(long seq) {
        for (int i = waiters.size() - 1; i >= 0; i--) {
            Cursor c = waiters.get(i);
            if (c.next == seq) {
                waiters.remove(i);
                c.sub.clearCursor(this);
                live = null;
            }
        }
        if (waiters.isEmpty()) {
            waiters = null;
        }
    }

    /** The subscriptions live on this stream, rebuilt from {@code index} when a change invalidated the cache. */
    SubscriptionEntry[] live(SubscriptionIndex index) {
        SubscriptionEntry[] l = live;
        if (l == null) {
            List<SubscriptionEntry> found = new ArrayList<>();
            index.forEachMatching(topic, sub -> {
                if (sub.isLiveOn(this)) {
                    found.add(sub);
                }
            });
            l = found.isEmpty() ? NONE : found.toArray(NONE);
            live = l;
        }
        return l;
    }
}
