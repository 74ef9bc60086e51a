package io.courier.broker.stream;

import io.courier.broker.peer.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@link EventSink} that batches as the broker's transport does: events are accepted into a pending batch per
 * peer and subscription, and leave only at {@link #flush}, all or nothing. A refused flush reports each
 * subscription's topics back with {@link StreamCore#onUndelivered} and blocks the peer until the next flush; a LOSS
 * first flushes its subscription's batch.
 */
final class BatchingTestSink implements EventSink {
    private record Key(PeerId peer, long id) {
    }

    private record Pending(StreamMessage message, boolean replay) {
    }

    private final Map<Key, List<Pending>> pending = new LinkedHashMap<>();
    private final Map<Key, List<FakeEventSink.Item>> received = new HashMap<>();
    private final List<Key> unsubscribed = new ArrayList<>();
    private final List<Object[]> undelivered = new ArrayList<>();
    private final Set<PeerId> blocked = new HashSet<>();
    /** Whether the next sends to a peer are refused (its queue is full). */
    final Map<PeerId, Boolean> full = new HashMap<>();

    @Override
    public boolean event(PeerId peer, long subscriptionId, StreamMessage message) {
        return add(peer, subscriptionId, message, false);
    }

    @Override
    public boolean replayEvent(PeerId peer, long subscriptionId, StreamMessage message) {
        return add(peer, subscriptionId, message, true);
    }

    private boolean add(PeerId peer, long id, StreamMessage message, boolean replay) {
        if (blocked.contains(peer)) {
            return false;
        }
        pending.computeIfAbsent(new Key(peer, id), k -> new ArrayList<>()).add(new Pending(message, replay));
        return true;
    }

    @Override
    public boolean loss(PeerId peer, long subscriptionId, String topic, long fromSeq, long toSeq, String reason) {
        Key key = new Key(peer, subscriptionId);
        if (blocked.contains(peer) || !send(key) || full.getOrDefault(peer, false)) {
            return false;
        }
        received.computeIfAbsent(key, k -> new ArrayList<>()).add(new FakeEventSink.Loss(topic, fromSeq, toSeq,
                reason));
        return true;
    }

    @Override
    public void subscribed(PeerId peer, long subscriptionId, Map<String, Long> heads) {
        send(new Key(peer, subscriptionId));
    }

    @Override
    public void unsubscribed(PeerId peer, long subscriptionId, String reason) {
        send(new Key(peer, subscriptionId));
        unsubscribed.add(new Key(peer, subscriptionId));
    }

    /** End of a loop pass: sends every batch, then reports what was refused to {@code core}. */
    void flush(StreamCore core) {
        for (Key key : new ArrayList<>(pending.keySet())) {
            if (!blocked.contains(key.peer())) {
                send(key);
            }
        }
        pending.clear();
        blocked.clear();
        List<Object[]> refused = new ArrayList<>(undelivered);
        undelivered.clear();
        for (Object[] u : refused) {
            Key key = (Key) u[0];
            core.onUndelivered(key.peer(), key.id(), (String) u[1], (Long) u[2], (Long) u[3], (Boolean) u[4]);
        }
    }

    boolean wasUnsubscribed(PeerId peer, long id) {
        return unsubscribed.contains(new Key(peer, id));
    }

    List<FakeEventSink.Item> items(PeerId peer, long id) {
        return received.getOrDefault(new Key(peer, id), List.of());
    }

    List<Long> seqs(PeerId peer, long id, String topic) {
        return items(peer, id).stream().filter(i -> i instanceof FakeEventSink.Event && i.topic().equals(topic))
                .map(i -> ((FakeEventSink.Event) i).seq()).toList();
    }

    /** Sends the batch of {@code key}; false (and the peer blocked, the ranges recorded) when its queue is full. */
    private boolean send(Key key) {
        List<Pending> batch = pending.remove(key);
        if (batch == null || batch.isEmpty()) {
            return true;
        }
        if (full.getOrDefault(key.peer(), false)) {
            blocked.add(key.peer());
            Pending first = null;
            Pending last = null;
            for (Pending p : batch) {
                if (first != null && (!p.message().topic().equals(first.message().topic())
                        || p.replay() != first.replay() || p.message().seq() != last.message().seq() + 1)) {
                    record(key, first, last);
                    first = null;
                }
                if (first == null) {
                    first = p;
                }
                last = p;
            }
            record(key, first, last);
            return false;
        }
        List<FakeEventSink.Item> log = received.computeIfAbsent(key, k -> new ArrayList<>());
        for (Pending p : batch) {
            StreamMessage m = p.message();
            log.add(new FakeEventSink.Event(m.topic(), m.seq(), m.timestampMillis(), ""));
        }
        return true;
    }

    private void record(Key key, Pending first, Pending last) {
        undelivered.add(new Object[] {key, first.message().topic(), first.message().seq(), last.message().seq(),
            first.replay()});
    }
}
