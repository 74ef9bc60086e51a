package io.courier.broker.queue;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The producer message ids a queue has accepted within its duplicate window, oldest first, at most the queue's
 * dedupMaxIds of them. Ids leave when their window ends (checked from the oldest on each lookup or sweep), or
 * earlier, oldest first, when the index is full; those early evictions are counted. Mutable, confined to the broker
 * loop thread.
 */
final class DedupIndex {
    private record Seen(long seq, long atMillis) {
    }

    private final Map<String, Seen> seen = new LinkedHashMap<>();
    /**
     * When the oldest id was accepted, or earlier: the oldest may since have left. While this is within the window
     * nothing can have expired, so a lookup skips the scan. Accept times are assumed not to go back; if the wall
     * clock steps back, ids may leave later than their window, but a lookup still checks an id's own time.
     */
    private long oldestAtMillis;
    private long evicted;

    /** The seq that {@code producerId} was accepted as within the window, or 0. */
    long find(String producerId, long nowMillis, long windowMillis) {
        evict(nowMillis, windowMillis);
        Seen s = seen.get(producerId);
        return s != null && nowMillis - s.atMillis < windowMillis ? s.seq : 0;
    }

    /** Remembers {@code producerId}, last; then forgets the oldest ids past {@code maxIds}, counting them. */
    void add(String producerId, long seq, long atMillis, int maxIds) {
        Seen s = new Seen(seq, atMillis);
        if (seen.put(producerId, s) != null) {   // rare: find ran first; only a restore adds an id twice
            seen.remove(producerId);             // re-inserted last, so the order stays oldest first
            seen.put(producerId, s);
        } else if (seen.size() == 1) {
            oldestAtMillis = atMillis;
        }
        trim(maxIds);
    }

    /** Forgets the ids whose window has ended, oldest first. */
    void evict(long nowMillis, long windowMillis) {
        if (seen.isEmpty() || nowMillis - oldestAtMillis < windowMillis) {
            return;
        }
        Iterator<Seen> it = seen.values().iterator();
        while (it.hasNext()) {
            Seen s = it.next();
            if (nowMillis - s.atMillis < windowMillis) {
                oldestAtMillis = s.atMillis;
                return;
            }
            it.remove();
        }
    }

    /** Forgets the oldest ids, before their window ends, until at most {@code maxIds} are left; counts them. */
    void trim(int maxIds) {
        if (seen.size() <= maxIds) {
            return;
        }
        Iterator<Seen> it = seen.values().iterator();
        while (seen.size() > maxIds) {
            it.next();
            it.remove();
            evicted++;
        }
        if (it.hasNext()) {
            oldestAtMillis = it.next().atMillis;
        }
    }

    /** Ids remembered now. */
    int size() {
        return seen.size();
    }

    /** Ids forgotten before their window ended because the index was full, since the broker started. */
    long evicted() {
        return evicted;
    }
}
