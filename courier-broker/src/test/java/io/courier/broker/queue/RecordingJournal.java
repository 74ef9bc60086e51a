package io.courier.broker.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link QueueJournal} that records each intent as a short line, and applies them to a model of what the store
 * would hold, refusing (with an AssertionError) an intent that does not fit it: an append of a seq already there,
 * an ack of one not there, a delivery update of a lost message. What it holds is what a restore would get.
 */
final class RecordingJournal implements QueueJournal {
    /** A message the journal was told to drop. */
    record Dropped(String queue, RestoredMessage message, String reason) {
    }

    /** What every append returns: the model stores at once. */
    final CompletableFuture<Void> appended = CompletableFuture.completedFuture(null);
    final List<String> lines = new ArrayList<>();
    final List<Dropped> dropped = new ArrayList<>();
    private final Map<String, TreeMap<Long, RestoredMessage>> store = new HashMap<>();
    private final Map<String, Map<Long, DeliveryState>> states = new HashMap<>();

    /** Puts what a store kept before a restart in the model, as the store would hold it at startup. */
    void seed(String queue, List<RestoredMessage> messages) {
        for (RestoredMessage m : messages) {
            store.computeIfAbsent(queue, k -> new TreeMap<>()).put(m.seq(), m);
            states.computeIfAbsent(queue, k -> new HashMap<>()).put(m.seq(), DeliveryState.READY);
        }
    }

    /** What the store holds for {@code queue}, in seq order. */
    List<RestoredMessage> stored(String queue) {
        return List.copyOf(store.getOrDefault(queue, new TreeMap<>()).values());
    }

    /** The state the journal was last told for message {@code seq} of {@code queue}. */
    DeliveryState state(String queue, long seq) {
        return states.getOrDefault(queue, Map.of()).get(seq);
    }

    Map<String, TreeMap<Long, RestoredMessage>> store() {
        return store;
    }

    void clearLines() {
        lines.clear();
    }

    @Override
    public CompletableFuture<Void> append(MessageSnapshot message) {
        lines.add("append " + message.queue() + "#" + message.seq());
        put(message);
        return appended;
    }

    @Override
    public void ack(String queue, long seq) {
        lines.add("ack " + queue + "#" + seq);
        remove(queue, seq);
    }

    @Override
    public void updateDelivery(String queue, long seq, int deliveries, DeliveryState state) {
        lines.add(state + " " + queue + "#" + seq + " " + deliveries);
        RestoredMessage s = get(queue, seq);
        store.get(queue).put(seq, new RestoredMessage(seq, s.producerId(), s.headers(), s.body(),
                s.enqueuedAtMillis(), s.expiresAtMillis(), deliveries, s.priorDeliveries()));
        states.computeIfAbsent(queue, k -> new HashMap<>()).put(seq, state);
    }

    @Override
    public void deadLetter(String queue, long seq, MessageSnapshot deadLetter) {
        lines.add("deadLetter " + queue + "#" + seq + " -> " + deadLetter.queue() + "#" + deadLetter.seq());
        remove(queue, seq);
        put(deadLetter);
    }

    @Override
    public void replay(String deadLetterQueue, long seq, MessageSnapshot replayed) {
        lines.add("replay " + deadLetterQueue + "#" + seq + " -> " + replayed.queue() + "#" + replayed.seq());
        remove(deadLetterQueue, seq);
        put(replayed);
    }

    @Override
    public void drop(String queue, long seq, String reason) {
        lines.add("drop " + queue + "#" + seq + " " + reason);
        dropped.add(new Dropped(queue, remove(queue, seq), reason));
    }

    private void put(MessageSnapshot message) {
        RestoredMessage old = store.computeIfAbsent(message.queue(), k -> new TreeMap<>()).put(message.seq(),
                message.restored());
        if (old != null) {
            throw new AssertionError("appended twice: " + message.queue() + "#" + message.seq());
        }
        states.computeIfAbsent(message.queue(), k -> new HashMap<>()).put(message.seq(), message.state());
    }

    private RestoredMessage get(String queue, long seq) {
        RestoredMessage s = store.getOrDefault(queue, new TreeMap<>()).get(seq);
        if (s == null) {
            throw new AssertionError("not in the store: " + queue + "#" + seq);
        }
        return s;
    }

    private RestoredMessage remove(String queue, long seq) {
        RestoredMessage s = get(queue, seq);
        store.get(queue).remove(seq);
        states.get(queue).remove(seq);
        return s;
    }
}
