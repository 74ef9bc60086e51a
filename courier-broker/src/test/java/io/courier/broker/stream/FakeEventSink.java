package io.courier.broker.stream;

import io.courier.broker.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An {@link EventSink} that records what each subscription was sent, and refuses sends the way a full ROUTER
 * queue does: a peer given a room of n accepts n more sends, then refuses until given room again. Peers start
 * with unlimited room. With {@code recording} off it only counts, for volume tests.
 */
final class FakeEventSink implements EventSink {
    /** What one subscription received, in order: EVENTs and LOSSes. */
    sealed interface Item {
        String topic();
    }

    record Event(String topic, long seq, long timestampMillis, String text) implements Item {
        @Override
        public String toString() {
            return topic + "#" + seq;
        }
    }

    record Loss(String topic, long fromSeq, long toSeq, String reason) implements Item {
        @Override
        public String toString() {
            return "loss " + topic + " " + fromSeq + "-" + toSeq;
        }
    }

    record Subscribed(PeerId peer, long id, Map<String, Long> heads) {
    }

    record Unsubscribed(PeerId peer, long id, String reason) {
    }

    private final Map<String, List<Item>> received = new HashMap<>();
    private final Map<PeerId, Long> room = new HashMap<>();
    final List<Subscribed> subscribed = new ArrayList<>();
    final List<Unsubscribed> unsubscribed = new ArrayList<>();
    boolean recording = true;
    long events;
    long refusals;
    private Random random;
    private double refuseRate;

    /** {@code peer} accepts {@code sends} more sends, then refuses until given room again. */
    void room(PeerId peer, long sends) {
        room.put(peer, sends);
    }

    void unlimited(PeerId peer) {
        room.remove(peer);
    }

    void unlimitedForAll() {
        room.clear();
        refuseRate = 0;
    }

    /** Also refuses sends at random, at {@code rate}, with {@code random}. */
    void refuseAtRandom(Random source, double rate) {
        random = source;
        refuseRate = rate;
    }

    /** What subscription {@code id} of {@code peer} received, in order. */
    List<Item> items(PeerId peer, long id) {
        return received.getOrDefault(key(peer, id), List.of());
    }

    /** The same as short strings: {@code "topic#seq"} and {@code "loss topic from-to"}. */
    List<String> log(PeerId peer, long id) {
        return items(peer, id).stream().map(Item::toString).toList();
    }

    List<Long> seqs(PeerId peer, long id, String topic) {
        return items(peer, id).stream().filter(i -> i instanceof Event && i.topic().equals(topic))
                .map(i -> ((Event) i).seq()).toList();
    }

    List<Loss> losses(PeerId peer, long id) {
        return items(peer, id).stream().filter(i -> i instanceof Loss).map(i -> (Loss) i).toList();
    }

    void clear() {
        received.clear();
        subscribed.clear();
        unsubscribed.clear();
    }

    @Override
    public boolean event(PeerId peer, long subscriptionId, StreamMessage message) {
        if (!accept(peer)) {
            return false;
        }
        events++;
        if (recording) {
            String text = new String(message.body()[0], StandardCharsets.UTF_8);
            add(peer, subscriptionId, new Event(message.topic(), message.seq(), message.timestampMillis(), text));
        }
        return true;
    }

    @Override
    public boolean loss(PeerId peer, long subscriptionId, String topic, long fromSeq, long toSeq, String reason) {
        if (!accept(peer)) {
            return false;
        }
        add(peer, subscriptionId, new Loss(topic, fromSeq, toSeq, reason));
        return true;
    }

    @Override
    public void subscribed(PeerId peer, long subscriptionId, Map<String, Long> heads) {
        subscribed.add(new Subscribed(peer, subscriptionId, Map.copyOf(heads)));
    }

    @Override
    public void unsubscribed(PeerId peer, long subscriptionId, String reason) {
        unsubscribed.add(new Unsubscribed(peer, subscriptionId, reason));
    }

    private boolean accept(PeerId peer) {
        Long left = room.get(peer);
        if (left != null) {
            if (left == 0) {
                refusals++;
                return false;
            }
            room.put(peer, left - 1);
        }
        if (refuseRate > 0 && random.nextDouble() < refuseRate) {
            refusals++;
            return false;
        }
        return true;
    }

    private void add(PeerId peer, long id, Item item) {
        received.computeIfAbsent(key(peer, id), k -> new ArrayList<>()).add(item);
    }

    private static String key(PeerId peer, long id) {
        return peer + "/" + id;
    }
}
