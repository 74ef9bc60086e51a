package io.courier.broker.stream;

import io.courier.protocol.Headers;
import java.util.Map;

/**
 * One stream's retained messages, in seq order and bounded by count, bytes and age. A ring buffer where message
 * {@code seq} sits in slot {@code seq & mask}, so a lookup by seq is O(1); it doubles when full up to the count
 * limit and halves when a quarter full. Sequence numbers start at 1 and never repeat, even once everything is
 * evicted. Timestamps never decrease (a wall clock that steps back is clamped), so {@link #fromTime} can search.
 * Confined to the broker loop thread.
 */
final class RetainedLog {
    private static final int MIN_CAPACITY = 16;

    private final String topic;
    private StreamMessage[] ring = new StreamMessage[MIN_CAPACITY];
    private int[] sizes = new int[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    private long firstSeq = 1;
    private long headSeq;
    private long bytes;
    private long lastTimestamp = Long.MIN_VALUE;

    RetainedLog(String topic) {
        this.topic = topic;
    }

    /**
     * Appends the next message, stamped {@code nowMillis} (or the previous stamp, if later), then evicts the
     * oldest messages past {@code maxMessages} or {@code maxBytes}; a message bigger than {@code maxBytes} on its
     * own is not retained at all. Returns the message, which has the new head seq.
     */
    StreamMessage append(long nowMillis, Headers headers, byte[][] body, int maxMessages, long maxBytes) {
        while (count() >= maxMessages) {
            evictFirst();
        }
        if (count() == ring.length) {
            resize(ring.length * 2);
        }
        long seq = ++headSeq;
        long timestamp = Math.max(nowMillis, lastTimestamp);
        lastTimestamp = timestamp;
        StreamMessage message = new StreamMessage(topic, seq, timestamp, headers, body);
        int slot = (int) (seq & mask);
        int size = sizeOf(headers, body);
        ring[slot] = message;
        sizes[slot] = size;
        bytes += size;
        if (bytes > maxBytes) {
            while (bytes > maxBytes && count() > 0) {
                evictFirst();
            }
            shrinkIfSparse();
        }
        return message;
    }

    /**
     * Puts back a message read from the store at start, with its own seq and stamp: the first one restored sets
     * where the log starts, each later one must follow the one before. Only before the first {@link #append}.
     */
    void restore(StreamMessage message) {
        if (count() > 0 && message.seq() != headSeq + 1) {
            throw new IllegalArgumentException("restored seqs of stream '" + topic + "' must follow one another ["
                    + "head=" + headSeq + ", seq=" + message.seq() + "]");
        }
        if (count() == 0) {
            firstSeq = message.seq();
            headSeq = message.seq() - 1;
        }
        if (count() == ring.length) {
            resize(ring.length * 2);
        }
        headSeq = message.seq();
        lastTimestamp = Math.max(lastTimestamp, message.timestampMillis());
        int slot = (int) (headSeq & mask);
        int size = sizeOf(message.headers(), message.body());
        ring[slot] = message;
        sizes[slot] = size;
        bytes += size;
    }

    /** Evicts the messages stamped before {@code cutoffMillis}; returns how many. */
    int evictOlderThan(long cutoffMillis) {
        int evicted = 0;
        while (count() > 0 && ring[(int) (firstSeq & mask)].timestampMillis() < cutoffMillis) {
            evictFirst();
            evicted++;
        }
        if (evicted > 0) {
            shrinkIfSparse();
        }
        return evicted;
    }

    /** The retained message {@code seq}; only for {@code firstSeq() <= seq <= headSeq()}. */
    StreamMessage get(long seq) {
        return ring[(int) (seq & mask)];
    }

    boolean contains(long seq) {
        return seq >= firstSeq && seq <= headSeq;
    }

    /** The oldest retained seq; {@code headSeq() + 1} when nothing is retained. */
    long firstSeq() {
        return firstSeq;
    }

    /** The newest seq ever assigned; 0 before the first message. */
    long headSeq() {
        return headSeq;
    }

    int count() {
        return (int) (headSeq - firstSeq + 1);
    }

    /** The size of the retained messages: body frames plus encoded headers. */
    long bytes() {
        return bytes;
    }

    /** The newest retained message, or null when nothing is retained. */
    StreamMessage last() {
        return count() == 0 ? null : get(headSeq);
    }

    /** The first retained seq stamped at or after {@code timeMillis}; {@code headSeq() + 1} when there is none. */
    long fromTime(long timeMillis) {
        long lo = firstSeq;
        long hi = headSeq + 1;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (get(mid).timestampMillis() < timeMillis) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Slots in the ring now; for tests of growth and shrinking. */
    int capacity() {
        return ring.length;
    }

    private void evictFirst() {
        int slot = (int) (firstSeq & mask);
        bytes -= sizes[slot];
        ring[slot] = null;
        firstSeq++;
    }

    private void shrinkIfSparse() {
        if (ring.length > MIN_CAPACITY && count() <= ring.length / 4) {
            int capacity = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, count())) * 4);
            if (capacity < ring.length) {
                resize(capacity);
            }
        }
    }

    private void resize(int capacity) {
        StreamMessage[] nextRing = new StreamMessage[capacity];
        int[] nextSizes = new int[capacity];
        int nextMask = capacity - 1;
        for (long seq = firstSeq; seq <= headSeq; seq++) {
            int from = (int) (seq & mask);
            int to = (int) (seq & nextMask);
            nextRing[to] = ring[from];
            nextSizes[to] = sizes[from];
        }
        ring = nextRing;
        sizes = nextSizes;
        mask = nextMask;
    }

    /** Body frames plus the headers as they encode, counted without encoding them. */
    static int sizeOf(Headers headers, byte[][] body) {
        long size = 0;
        for (byte[] frame : body) {
            size += frame.length;
        }
        if (!headers.isEmpty()) {
            for (Map.Entry<String, String> e : headers.asMap().entrySet()) {
                size += 3 + utf8Length(e.getKey()) + utf8Length(e.getValue());
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    private static int utf8Length(String s) {
        int n = s.length();
        int length = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                length += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;   // a surrogate pair is 4 bytes
            }
        }
        return length;
    }
}
