package io.courier.broker.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * Delivery for the queue core: hands ready messages to consumers with credit, round-robin, through the
 * {@link DeliverySink}, and keeps the consumers whose sends were refused until they are retried. Thread-free:
 * confined to the broker loop thread.
 */
final class Dispatcher {
    private final MessageLifecycle lifecycle;
    private final DeliverySink sink;
    private final QueueClock clock;
    private final List<ConsumerEntry> blocked = new ArrayList<>();
    private long nextTag = 1;

    Dispatcher(MessageLifecycle lifecycle, DeliverySink sink, QueueClock clock) {
        this.lifecycle = lifecycle;
        this.sink = sink;
        this.clock = clock;
    }

    boolean hasBlocked() {
        return !blocked.isEmpty();
    }

    /** Puts the blocked consumers of {@code q} (of every queue when null) back in their rotation. */
    void unblock(QueueEntry q) {
        if (blocked.isEmpty()) {
            return;
        }
        List<ConsumerEntry> retry = new ArrayList<>(blocked);
        blocked.clear();
        for (ConsumerEntry c : retry) {
            if (q != null && c.queue != q) {
                blocked.add(c);
            } else {
                c.blocked = false;
                c.queue.offer(c);
                lifecycle.touch(c.queue);
            }
        }
    }

    /** Delivers from the queues touched by the operation, until none is left (a dead letter touches its queue). */
    void flush() {
        for (QueueEntry q; (q = lifecycle.nextTouched()) != null; ) {
            dispatch(q);
        }
    }

    /**
     * Hands ready messages of {@code q}, in seq order, to its consumers with credit, round-robin; expired ones and
     * ones handed out maxDeliver times are dealt with on the way. Returns how many were sent.
     */
    int dispatch(QueueEntry q) {
        int sent = 0;
        long wallNow = clock.wallMillis();
        long loopNow = clock.loopMillis();
        while (!q.rotation.isEmpty()) {
            MessageEntry m = lifecycle.pollReady(q);
            if (m == null) {
                break;
            }
            if (m.expires() && m.expiresAtMillis <= wallNow) {
                lifecycle.expire(m);
                continue;
            }
            if (lifecycle.deadLetterIfExhausted(m)) {
                continue;
            }
            if (send(nextConsumer(q, m), m, loopNow)) {
                sent++;
            }
        }
        return sent;
    }

    /** The next consumer in the rotation, passing over the one {@code m} avoids if another can take it. */
    private static ConsumerEntry nextConsumer(QueueEntry q, MessageEntry m) {
        ConsumerEntry c = q.rotation.pollFirst();
        c.inRotation = false;
        if (m.avoid == c && !q.rotation.isEmpty()) {
            ConsumerEntry other = q.rotation.pollFirst();
            other.inRotation = false;
            q.rotation.addFirst(c);
            c.inRotation = true;
            return other;
        }
        return c;
    }

    /** Hands {@code m} to {@code c}; when the sink refuses (or throws), {@code m} stays ready and {@code c} waits. */
    private boolean send(ConsumerEntry c, MessageEntry m, long loopNow) {
        QueueEntry q = c.queue;
        long tag = nextTag++;
        Delivery delivery = new Delivery(q.name, tag, m.seq, m.headers, m.body, m.deliveries + 1,
                m.enqueuedAtMillis);
        boolean sent = false;
        try {
            sent = sink.deliver(c.key, delivery);
        } finally {
            if (!sent) {
                lifecycle.makeReady(m, false);
                c.blocked = true;
                blocked.add(c);
            }
        }
        if (!sent) {
            return false;
        }
        lifecycle.handOut(m, c, tag, loopNow);
        q.offer(c);
        return true;
    }
}
