package io.courier.broker.queue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attached consumer: its prefetch and the messages it holds, by delivery tag in delivery order. Mutable,
 * confined to the broker loop thread.
 */
final class ConsumerEntry {
    final ConsumerKey key;
    final QueueEntry queue;
    final Map<Long, MessageEntry> unacked = new LinkedHashMap<>();
    int prefetch;
    long delivered;
    /** In its queue's rotation: it has credit and is not blocked. */
    boolean inRotation;
    /** Its last send was refused; it waits for the next timer pass. */
    boolean blocked;
    boolean detached;

    ConsumerEntry(ConsumerKey key, QueueEntry queue, int prefetch) {
        this.key = key;
        this.queue = queue;
        this.prefetch = prefetch;
    }

    boolean hasCredit() {
        return unacked.size() < prefetch;
    }
}
