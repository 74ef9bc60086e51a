package io.courier.broker.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A queue's ready messages, in seq order: a message always waits at its original position, whether it is new,
 * nacked, timed out or back from a consumer that left. New messages (the common case) go to the end of a deque in
 * O(1); messages coming back go into a sorted map; {@link #poll} takes the lower head of the two. A message taken
 * out of the middle of the deque is only marked and skipped later. Mutable, confined to the broker loop thread.
 */
final class ReadyQueue {
    private static final int COMPACT_SLACK = 1_024;

    private final ArrayDeque<MessageEntry> fresh = new ArrayDeque<>();
    private final TreeMap<Long, MessageEntry> returned = new TreeMap<>();
    private int size;
    private int stale;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** A message never handed out, with a seq above every one added this way before. */
    void addNew(MessageEntry m) {
        m.inFresh = true;
        fresh.addLast(m);
        size++;
    }

    /** A message coming back (or whose send was refused): it takes its place by seq. */
    void addReturned(MessageEntry m) {
        returned.put(m.seq, m);
        size++;
    }

    /** Takes the ready message with the lowest seq out of line; null when none. */
    MessageEntry poll() {
        skipStale();
        MessageEntry head = fresh.peekFirst();
        Map.Entry<Long, MessageEntry> back = returned.firstEntry();
        if (head == null && back == null) {
            return null;
        }
        size--;
        if (back == null || (head != null && head.seq < back.getKey())) {
            fresh.pollFirst();
            head.inFresh = false;
            return head;
        }
        returned.pollFirstEntry();
        return back.getValue();
    }

    /** Takes {@code m}, which must be ready in this queue, out of line. */
    void remove(MessageEntry m) {
        if (m.inFresh) {
            m.inFresh = false;
            stale++;
            size--;
            if (stale > COMPACT_SLACK && stale > size) {
                fresh.removeIf(e -> !e.inFresh);
                stale = 0;
            }
        } else if (returned.remove(m.seq) != null) {
            size--;
        } else {
            throw new IllegalStateException("message is not ready [queue=" + m.queue.name + ", seq=" + m.seq + "]");
        }
    }

    /** The first {@code limit} ready messages in seq order, left in line. */
    List<MessageEntry> first(int limit) {
        List<MessageEntry> out = new ArrayList<>(Math.min(limit, size));
        Iterator<MessageEntry> a = fresh.iterator();
        Iterator<MessageEntry> b = returned.values().iterator();
        MessageEntry x = nextLive(a);
        MessageEntry y = b.hasNext() ? b.next() : null;
        while (out.size() < limit && (x != null || y != null)) {
            if (y == null || (x != null && x.seq < y.seq)) {
                out.add(x);
                x = nextLive(a);
            } else {
                out.add(y);
                y = b.hasNext() ? b.next() : null;
            }
        }
        return out;
    }

    /** Takes every ready message out of line; returns them in seq order. */
    List<MessageEntry> drain() {
        List<MessageEntry> all = first(size);
        for (MessageEntry m : all) {
            m.inFresh = false;
        }
        fresh.clear();
        returned.clear();
        size = 0;
        stale = 0;
        return all;
    }

    private void skipStale() {
        MessageEntry head;
        while ((head = fresh.peekFirst()) != null && !head.inFresh) {
            fresh.pollFirst();
            stale--;
        }
    }

    private static MessageEntry nextLive(Iterator<MessageEntry> it) {
        while (it.hasNext()) {
            MessageEntry m = it.next();
            if (m.inFresh) {
                return m;
            }
        }
        return null;
    }
}
