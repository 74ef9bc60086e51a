package io.courier.broker.queue;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The producer message ids a queue has accepted within its duplicate window, oldest first. Mutable, confined to
 * the broker loop thread. Ids leave when their window ends (checked from the oldest on each lookup or sweep).
 */
final class DedupIndex {
    private record Seen(long seq, long atMillis) {
    }

    private final Map<String, Seen> seen = new LinkedHashMap<>();

    /** The seq that {@code producerId} was accepted as within the window, or 0. */
    long find(String producerId, long nowMillis, long windowMillis) {
        evict(nowMillis, windowMillis);
        Seen s = seen.get(producerId);
        return s != null && nowMillis - s.atMillis < windowMillis ? s.seq : 0;
    }

    void add(String producerId, long seq, long atMillis) {
        seen.remove(producerId);   // re-inserted last, so the order stays oldest first
        seen.put(producerId, new Seen(seq, atMillis));
    }

    /** Forgets the ids whose window has ended, oldest first. */
    void evict(long nowMillis, long windowMillis) {
        Iterator<Seen> it = seen.values().iterator();
        while (it.hasNext()) {
            if (nowMillis - it.next().atMillis < windowMillis) {
                return;
            }
            it.remove();
        }
    }

    int size() {
        return seen.size();
    }
}
