package io.courier.client.internal;

import io.courier.client.StreamEvent;
import io.courier.client.StreamLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sequencing of one stream within one subscription: the last seq released to the listener, gap detection (a jump
 * asks for a REPLAY of the missing range), a bounded hold-back buffer that releases events in order once a gap is
 * filled by EVENTs or declared lost by LOSS, and duplicate drop. Thread-free; confined to the connection's I/O
 * thread (its {@link SubscriptionState} talks to the outside).
 */
final class TopicSequence {
    /** {@link #last()} before the first message: the first one sets the baseline. */
    static final long NONE = -1;
    static final String BUFFER_FULL = "client buffer full";
    static final String REPLAY_UNANSWERED = "replay not answered";
    /** Replays of a gap before it is declared lost: the first, then this many minus one more after timeouts. */
    static final int MAX_REPLAY_ATTEMPTS = 3;

    private final String topic;
    private final SubscriptionState owner;
    private final TreeMap<Long, StreamEvent> events = new TreeMap<>();
    private final TreeMap<Long, StreamLoss> losses = new TreeMap<>();
    private long last = NONE;
    private long highest = NONE;
    private long replayDeadline;
    private int replayAttempts;

    TopicSequence(String topic, SubscriptionState owner) {
        this.topic = topic;
        this.owner = owner;
    }

    String topic() {
        return topic;
    }

    SubscriptionState owner() {
        return owner;
    }

    /** The last seq released (delivered or reported lost), or {@link #NONE}. */
    long last() {
        return last;
    }

    /** Events and losses held back behind a gap. */
    int heldCount() {
        return events.size() + losses.size();
    }

    /** True while something between {@link #last()} and the highest seq seen is missing or held. */
    boolean hasGap() {
        return highest > last;
    }

    long replayDeadline() {
        return replayDeadline;
    }

    void replayDeadline(long at) {
        replayDeadline = at;
    }

    /** For a subscription that starts now: the stream's head when the broker took it; the next seq is head + 1. */
    void startAfter(long head) {
        if (last == NONE && heldCount() == 0) {
            last = head;
            highest = head;
        }
    }

    /** An EVENT from the broker; false when it is a duplicate. */
    boolean offer(StreamEvent event) {
        return offer(event.seq(), event.seq(), event, null);
    }

    /** A LOSS from the broker; false when it tells nothing new. */
    boolean offer(StreamLoss loss) {
        return offer(loss.fromSeq(), loss.toSeq(), null, loss);
    }

    private boolean offer(long from, long to, StreamEvent event, StreamLoss loss) {
        if (last == NONE) {
            last = from - 1;
            highest = last;
        }
        if (to <= last || event != null && events.containsKey(from)) {
            return false;
        }
        if (owner.isPaused()) {   // dropped for now: replayed from the broker when the listener catches up
            highest = Math.max(highest, to);
            return true;
        }
        if (event != null && from == last + 1 && heldCount() == 0 && owner.hasRoom()) {   // in order: the usual
            last = from;
            highest = Math.max(highest, from);
            owner.deliver(event);
            if (!hasGap()) {
                replayDeadline = 0;
                replayAttempts = 0;
            }
            return true;
        }
        if (from > highest + 1) {
            owner.replay(this, highest + 1, from - 1);
        }
        highest = Math.max(highest, to);
        if (event != null) {
            events.put(from, event);
        } else {
            losses.merge(from, loss, (a, b) -> a.toSeq() >= b.toSeq() ? a : b);
        }
        release(heldCount() > owner.maxBuffered() ? BUFFER_FULL : null);
        return true;
    }

    /**
     * Releases what is next in order while the listener has room; pauses the subscription when it has none. With
     * a {@code gapReason}, a gap before the next held item is reported lost instead of waited for.
     */
    private void release(String gapReason) {
        while (true) {
            dropReleased();
            if (events.isEmpty() && losses.isEmpty()) {
                break;
            }
            long want = last + 1;
            StreamEvent event = events.get(want);
            StreamLoss covering = event == null ? covering(want) : null;
            if (event == null && covering == null && gapReason == null) {
                break;
            }
            if (!owner.hasRoom()) {
                owner.pause();
                return;
            }
            if (event != null) {
                events.remove(want);
                last = want;
                owner.deliver(event);
            } else if (covering != null) {
                Long held = events.ceilingKey(want);
                long stop = held != null && held <= covering.toSeq() ? held - 1 : covering.toSeq();
                last = stop;
                owner.lost(new StreamLoss(topic, want, stop, covering.reason()));
            } else {
                long next = firstHeld();
                last = next - 1;
                owner.lost(new StreamLoss(topic, want, next - 1, gapReason));
            }
        }
        if (!hasGap()) {
            replayDeadline = 0;
            replayAttempts = 0;
        }
    }

    /** The subscription has room again: release what is held, then ask for what was dropped while paused. */
    void resume() {
        release(null);
        if (!owner.isPaused() && hasGap()) {
            replayDeadline = 0;
            requestMissing();
        }
    }

    /** The replay deadline passed: ask again, or after {@link #MAX_REPLAY_ATTEMPTS} report the gaps lost. */
    void onReplayDue() {
        replayDeadline = 0;
        if (!hasGap() || owner.isPaused()) {
            return;
        }
        if (++replayAttempts < MAX_REPLAY_ATTEMPTS) {
            requestMissing();
            return;
        }
        release(REPLAY_UNANSWERED);
        if (!owner.isPaused() && hasGap()) {   // the tail that was dropped while paused, nothing held after it
            if (!owner.hasRoom()) {
                owner.pause();
                return;
            }
            long from = last + 1;
            last = highest;
            owner.lost(new StreamLoss(topic, from, highest, REPLAY_UNANSWERED));
        }
        replayAttempts = 0;
    }

    /** A new session took the subscription with a resume map: the broker replays every gap; time it afresh. */
    void onResubscribed() {
        replayAttempts = 0;
        replayDeadline = 0;
        if (hasGap()) {
            owner.armReplayTimer(this);
        }
    }

    /**
     * The broker restarted: everything after {@link #last()} in the old numbering is gone. This sequence is
     * dropped; its replay timer, if any, is disarmed.
     */
    StreamLoss restartLoss(String reason) {
        replayDeadline = 0;
        return last == NONE || last == Long.MAX_VALUE ? null
                : new StreamLoss(topic, last + 1, Long.MAX_VALUE, reason);
    }

    /** Sends a REPLAY for each range after {@link #last()} and up to the highest seq seen that is not held. */
    private void requestMissing() {
        List<long[]> held = new ArrayList<>(heldCount());
        events.keySet().forEach(seq -> held.add(new long[] {seq, seq}));
        losses.values().forEach(l -> held.add(new long[] {l.fromSeq(), l.toSeq()}));
        held.sort((a, b) -> Long.compare(a[0], b[0]));
        long cursor = last + 1;
        for (long[] range : held) {
            if (range[0] > cursor) {
                owner.replay(this, cursor, range[0] - 1);
            }
            cursor = Math.max(cursor, range[1] + 1);
        }
        if (cursor <= highest) {
            owner.replay(this, cursor, highest);
        }
    }

    private void dropReleased() {
        events.headMap(last, true).clear();
        if (!losses.isEmpty()) {
            losses.values().removeIf(l -> l.toSeq() <= last);
        }
    }

    private StreamLoss covering(long seq) {
        for (StreamLoss loss : losses.headMap(seq, true).values()) {
            if (loss.toSeq() >= seq) {
                return loss;
            }
        }
        return null;
    }

    private long firstHeld() {
        long first = Long.MAX_VALUE;
        if (!events.isEmpty()) {
            first = events.firstKey();
        }
        Map.Entry<Long, StreamLoss> loss = losses.firstEntry();
        return loss == null ? first : Math.min(first, loss.getKey());
    }
}
