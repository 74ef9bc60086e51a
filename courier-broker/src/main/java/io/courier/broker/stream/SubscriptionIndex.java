package io.courier.broker.stream;

import io.courier.broker.peer.PeerId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every subscription, by peer and id, and grouped by prefix so that finding the subscriptions matching a topic
 * costs one {@code startsWith} per distinct prefix rather than per subscription. Confined to the broker loop
 * thread.
 */
final class SubscriptionIndex {
    private final Map<PeerId, Map<Long, SubscriptionEntry>> byPeer = new HashMap<>();
    private final Map<String, List<SubscriptionEntry>> byPrefix = new HashMap<>();
    private int size;

    SubscriptionEntry get(PeerId peer, long id) {
        Map<Long, SubscriptionEntry> subs = byPeer.get(peer);
        return subs == null ? null : subs.get(id);
    }

    /** Adds {@code sub}, whose peer and id must be free. */
    void add(SubscriptionEntry sub) {
        byPeer.computeIfAbsent(sub.peer, p -> new HashMap<>()).put(sub.id, sub);
        byPrefix.computeIfAbsent(sub.prefix, p -> new ArrayList<>()).add(sub);
        size++;
    }

    void remove(SubscriptionEntry sub) {
        Map<Long, SubscriptionEntry> subs = byPeer.get(sub.peer);
        if (subs == null || subs.get(sub.id) != sub) {
            return;
        }
        subs.remove(sub.id);
        if (subs.isEmpty()) {
            byPeer.remove(sub.peer);
        }
        List<SubscriptionEntry> group = byPrefix.get(sub.prefix);
        group.remove(sub);
        if (group.isEmpty()) {
            byPrefix.remove(sub.prefix);
        }
        size--;
    }

    /** The subscriptions of {@code peer}, copied so that the caller may remove them while iterating. */
    List<SubscriptionEntry> ofPeer(PeerId peer) {
        Map<Long, SubscriptionEntry> subs = byPeer.get(peer);
        return subs == null ? List.of() : new ArrayList<>(subs.values());
    }

    void forEachMatching(String topic, Consumer<SubscriptionEntry> action) {
        for (Map.Entry<String, List<SubscriptionEntry>> group : byPrefix.entrySet()) {
            if (topic.startsWith(group.getKey())) {
                group.getValue().forEach(action);
            }
        }
    }

    /** Every subscription, grouped by peer. */
    Collection<Map<Long, SubscriptionEntry>> byPeer() {
        return byPeer.values();
    }

    int size() {
        return size;
    }
}
