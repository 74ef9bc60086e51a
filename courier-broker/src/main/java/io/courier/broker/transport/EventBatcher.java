package io.courier.broker.transport;

import io.courier.broker.stream.StreamMessage;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.StreamBatches;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EVENTs for peers that take batches (their HELLO said {@code stream-batches=1}), gathered per peer and
 * subscription during one loop pass and sent as one EVENT_BATCH (a lone event as a plain EVENT) at the end of the
 * pass, or as soon as a batch reaches {@link #MAX_BYTES} or {@link #MAX_ENTRIES}. A ROUTER send is all or
 * nothing: when a batch is refused (the peer's queue is full) none of it left, so it is recorded, per topic, as
 * {@link Undelivered} ranges for the stream core, and the peer takes no more events until the pass ends, so that
 * nothing after the hole can overtake it. Confined to the broker loop thread.
 */
final class EventBatcher {
    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_ENTRIES = 1_000;
    private static final byte[] NO_BYTES = new byte[0];

    /** Seqs {@code fromSeq} to {@code toSeq} of {@code topic} were accepted for a subscription but never left. */
    record Undelivered(PeerId peer, long subscriptionId, String topic, long fromSeq, long toSeq, boolean replay) {
    }

    private record Key(PeerId peer, long subscriptionId) {
    }

    /** What one batch holds per topic (and REPLAY or not): the first and last seq, for an undelivered report. */
    private static final class Range {
        final String topic;
        final boolean replay;
        final long fromSeq;
        long toSeq;

        Range(String topic, boolean replay, long seq) {
            this.topic = topic;
            this.replay = replay;
            this.fromSeq = seq;
            this.toSeq = seq;
        }
    }

    private static final class Batch {
        final Key key;
        final StreamBatches.EventWriter writer = new StreamBatches.EventWriter(4_096);
        final List<Range> ranges = new ArrayList<>(2);
        StreamMessage first;
        boolean dirty;

        Batch(Key key) {
            this.key = key;
        }

        void add(StreamMessage m, byte[] topic, byte[] headers, boolean replay) {
            if (first == null) {
                first = m;
            }
            writer.add(topic, m.seq(), m.timestampMillis(), headers, m.body());
            Range last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && last.replay == replay && last.topic.equals(m.topic()) && last.toSeq + 1 == m.seq()) {
                last.toSeq = m.seq();
            } else {
                ranges.add(new Range(m.topic(), replay, m.seq()));
            }
        }

        void reset() {
            writer.clear();
            ranges.clear();
            first = null;
        }
    }

    private final RouterOutbox out;
    private final Set<PeerId> takesBatches = new HashSet<>();
    private final Map<Key, Batch> batches = new HashMap<>();
    private final List<Batch> dirty = new ArrayList<>();
    private final Set<PeerId> blocked = new HashSet<>();
    private final List<Undelivered> undelivered = new ArrayList<>();
    private Batch last;
    private String lastTopic;
    private byte[] lastTopicBytes;

    EventBatcher(RouterOutbox out) {
        this.out = out;
    }

    /** The peer said in HELLO whether it takes batches. */
    void onHello(PeerId peer, boolean batches) {
        if (batches) {
            takesBatches.add(peer);
        } else {
            takesBatches.remove(peer);
        }
    }

    boolean takesBatches(PeerId peer) {
        return takesBatches.contains(peer);
    }

    /** Queues an event for a batching peer; false when the peer is blocked for this pass. */
    boolean add(PeerId peer, long subscriptionId, StreamMessage m, boolean replay) {
        if (!blocked.isEmpty() && blocked.contains(peer)) {
            return false;
        }
        Batch batch = batch(peer, subscriptionId);
        int size = m.body().length * 4 + m.topic().length() * 3 + 32;
        for (byte[] frame : m.body()) {
            size += frame.length;
        }
        if (batch.writer.count() > 0 && (batch.writer.count() >= MAX_ENTRIES || batch.writer.bytes() + size > MAX_BYTES)
                && !send(batch)) {
            return false;
        }
        batch.add(m, topicBytes(m.topic()), m.headers().isEmpty() ? NO_BYTES : m.headers().encode(), replay);
        if (!batch.dirty) {
            batch.dirty = true;
            dirty.add(batch);
        }
        return true;
    }

    /**
     * Sends what is pending for the subscription, so that a LOSS, SUBSCRIBED or UNSUBSCRIBED goes after it; false
     * when the peer is blocked or the batch was refused.
     */
    boolean flush(PeerId peer, long subscriptionId) {
        if (blocked.contains(peer)) {
            return false;
        }
        Batch batch = batches.get(new Key(peer, subscriptionId));
        return batch == null || batch.writer.count() == 0 || send(batch);
    }

    /** Forgets the undelivered ranges of a subscription that ended or was replaced. */
    void forget(PeerId peer, long subscriptionId) {
        undelivered.removeIf(u -> u.subscriptionId() == subscriptionId && u.peer().equals(peer));
        Batch batch = batches.remove(new Key(peer, subscriptionId));
        if (batch == last) {
            last = null;
        }
        if (batch != null && batch.dirty) {
            batch.reset();
        }
    }

    /** End of a loop pass: sends every pending batch; returns what was refused, and unblocks every peer. */
    List<Undelivered> flushAll() {
        for (Batch batch : dirty) {
            batch.dirty = false;
            if (batch.writer.count() > 0 && !blocked.contains(batch.key.peer())) {
                send(batch);
            }
            batch.reset();   // a blocked peer's leftovers were reported when it blocked
        }
        dirty.clear();
        blocked.clear();
        if (undelivered.isEmpty()) {
            return List.of();
        }
        List<Undelivered> refused = new ArrayList<>(undelivered);
        undelivered.clear();
        return refused;
    }

    void peerGone(PeerId peer) {
        takesBatches.remove(peer);
        blocked.remove(peer);
        undelivered.removeIf(u -> u.peer().equals(peer));
        Iterator<Map.Entry<Key, Batch>> it = batches.entrySet().iterator();
        while (it.hasNext()) {
            Batch batch = it.next().getValue();
            if (batch.key.peer().equals(peer)) {
                batch.reset();
                it.remove();
            }
        }
        last = null;
    }

    private Batch batch(PeerId peer, long subscriptionId) {
        Batch b = last;
        if (b != null && b.key.subscriptionId() == subscriptionId && b.key.peer().equals(peer)) {
            return b;
        }
        b = batches.computeIfAbsent(new Key(peer, subscriptionId), Batch::new);
        last = b;
        return b;
    }

    /** Sends one batch; when refused, records its ranges and blocks its peer for the rest of the pass. */
    private boolean send(Batch batch) {
        PeerId peer = batch.key.peer();
        long id = batch.key.subscriptionId();
        boolean sent;
        if (batch.writer.count() == 1) {
            StreamMessage m = batch.first;
            sent = out.send(peer, new Event(id, m.topic(), m.seq(), m.timestampMillis(), m.headers(), m.body()), true);
            batch.writer.clear();
        } else {
            sent = out.send(peer, batch.writer.frames(id), true);
        }
        if (!sent) {
            blocked.add(peer);
            for (Range r : batch.ranges) {
                undelivered.add(new Undelivered(peer, id, r.topic, r.fromSeq, r.toSeq, r.replay));
            }
        }
        batch.ranges.clear();
        batch.first = null;
        return sent;
    }

    private byte[] topicBytes(String topic) {
        if (topic != lastTopic) {
            lastTopic = topic;
            lastTopicBytes = topic.getBytes(StandardCharsets.UTF_8);
        }
        return lastTopicBytes;
    }
}
