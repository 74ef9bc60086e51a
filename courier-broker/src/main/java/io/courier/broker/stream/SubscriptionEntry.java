package io.courier.broker.stream;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.StreamStart;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One subscription in the core: whose it is, what it matches, and, per stream where it is not live, its
 * {@link Cursor}. It is live on every matching stream without a cursor. Confined to the broker loop thread.
 */
final class SubscriptionEntry {
    final PeerId peer;
    final long id;
    final String prefix;
    final StreamStart start;
    final long startValue;
    final SlowPolicy policy;
    /** Resume entries for matching streams that did not exist at SUBSCRIBE; used once each, when they appear. */
    final Map<String, Long> pendingResume;
    /** Catch-up and REPLAY cursors, served in turn by the catch-up passes. */
    final ArrayDeque<Cursor> backlog = new ArrayDeque<>(4);
    /** The catch-up and waiting cursors by stream (not REPLAY ones); null while live everywhere. */
    private Map<StreamEntry, Cursor> cursors;
    int replays;
    boolean queued;
    boolean closed;
    long delivered;
    long lost;

    SubscriptionEntry(PeerId peer, long id, String prefix, StreamStart start, long startValue, SlowPolicy policy,
                      Map<String, Long> pendingResume) {
        this.peer = peer;
        this.id = id;
        this.prefix = prefix;
        this.start = start;
        this.startValue = startValue;
        this.policy = policy;
        this.pendingResume = pendingResume;
    }

    boolean matches(String topic) {
        return topic.startsWith(prefix);
    }

    boolean isLiveOn(StreamEntry stream) {
        return cursors == null || !cursors.containsKey(stream);
    }

    void setCursor(Cursor cursor) {
        if (cursors == null) {
            cursors = new HashMap<>(4);
        }
        cursors.put(cursor.stream, cursor);
    }

    /** The catch-up or waiting cursor on {@code stream}; null while live there. */
    Cursor cursor(StreamEntry stream) {
        return cursors == null ? null : cursors.get(stream);
    }

    void clearCursor(StreamEntry stream) {
        if (cursors != null) {
            cursors.remove(stream);
            if (cursors.isEmpty()) {
                cursors = null;
            }
        }
    }

    /** The catch-up and waiting cursors; empty while live everywhere. */
    Iterable<Cursor> cursors() {
        return cursors == null ? List.of() : cursors.values();
    }

    /** True while it has something to catch up or replay. */
    boolean isLagging() {
        return !backlog.isEmpty();
    }
}
