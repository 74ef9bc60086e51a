package io.courier.broker.queue;

import io.courier.protocol.Headers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of every queued message, for the queue core: it owns the queues by name, the core-wide time
 * indexes (ack deadlines, nack delays, expiries) and the queues touched by the current operation, and it makes
 * every move of a message between arrived, ready, delayed, in flight and gone (acked, dead-lettered, dropped),
 * recording each in the journal. A message is in the expiry index exactly while it waits (ready or delayed) and
 * expires, and in the ack-deadline index exactly while it is in flight. Thread-free: confined to the broker loop
 * thread.
 */
final class MessageLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(MessageLifecycle.class);

    private final Map<String, QueueEntry> queues = new HashMap<>();
    private final TreeSet<MessageEntry> ackDeadlines = new TreeSet<>(MessageEntry.BY_ACK_DEADLINE);
    private final TreeSet<MessageEntry> delays = new TreeSet<>(MessageEntry.BY_READY_AT);
    private final TreeSet<MessageEntry> expiries = new TreeSet<>(MessageEntry.BY_EXPIRY);
    private final QueueJournal journal;
    private final QueueClock clock;
    private QueueSettings defaults;
    private final ArrayDeque<QueueEntry> touched = new ArrayDeque<>();
    private long nextId = 1;

    MessageLifecycle(QueueSettings defaults, QueueJournal journal, QueueClock clock) {
        this.defaults = defaults;
        this.journal = journal;
        this.clock = clock;
    }

    /** Queue {@code name}, created with the defaults if new. Names are checked at the API edge. */
    QueueEntry queue(String name) {
        QueueEntry q = queues.get(name);
        if (q == null) {
            q = new QueueEntry(name, defaults);
            queues.put(name, q);
            LOG.debug("queue created queue={} queues={}", name, queues.size());
        }
        return q;
    }

    /** Queue {@code name}, or null when there is none. */
    QueueEntry find(String name) {
        return queues.get(name);
    }

    boolean exists(String name) {
        return queues.containsKey(name);
    }

    /** New defaults, live: for the queues created from now on and every queue not declared. */
    void useDefaults(QueueSettings settings) {
        defaults = settings;
        for (QueueEntry q : queues.values()) {
            if (!q.declared) {
                q.settings(settings);
            }
        }
    }

    /**
     * A producer's message, checked already, arrives at the end of {@code q}'s ready line as its next seq: it is
     * counted in, appended to the journal and in line for delivery. The result carries the journal's future.
     */
    EnqueueResult accept(QueueEntry q, String producerId, Headers headers, byte[][] body, long nowMillis,
                         long ownTtlMillis) {
        MessageEntry m = admit(q, q.nextSeq++, producerId, headers, body, nowMillis,
                expiresAt(q, nowMillis, ownTtlMillis), 0, 0);
        q.enqueued++;
        CompletableFuture<Void> stored = journal.append(m.snapshot());
        makeReady(m, true);
        touch(q);
        return EnqueueResult.accepted(m.seq, stored);
    }

    /** Counts a new message into {@code q}; the caller puts it in line. */
    private MessageEntry admit(QueueEntry q, long seq, String producerId, Headers headers, byte[][] body,
                               long enqueuedAt, long expiresAt, int deliveries, int priorDeliveries) {
        MessageEntry m = new MessageEntry(q, nextId++, seq, producerId, headers, body, enqueuedAt, expiresAt,
                deliveries, priorDeliveries);
        q.messages++;
        q.bytes += m.bytes;
        return m;
    }

    /** When a message arriving now in {@code q} expires: the shorter of the queue's ttl and its own; 0 for never. */
    private static long expiresAt(QueueEntry q, long nowMillis, long ownTtlMillis) {
        long queueTtl = q.settings.ttl().toMillis();
        long ttl = queueTtl > 0 && ownTtlMillis > 0 ? Math.min(queueTtl, ownTtlMillis) : Math.max(queueTtl,
                ownTtlMillis);
        return ttl > 0 ? nowMillis + ttl : 0;
    }

    /** Puts {@code m} in its queue's ready line: at the end when {@code fresh}, else at its place by seq. */
    void makeReady(MessageEntry m, boolean fresh) {
        m.state = DeliveryState.READY;
        if (fresh) {
            m.queue.ready.addNew(m);
        } else {
            m.queue.ready.addReturned(m);
        }
        if (m.expires()) {
            expiries.add(m);
        }
    }

    /**
     * Takes the first message of {@code q}'s ready line out of the line and the expiry index, to be handed out (or
     * expired, or dead-lettered); null when the line is empty.
     */
    MessageEntry pollReady(QueueEntry q) {
        MessageEntry m = q.ready.poll();
        if (m != null && m.expires()) {
            expiries.remove(m);
        }
        return m;
    }

    /** Hands {@code m}, polled from the ready line, to consumer {@code c} as delivery {@code tag}. */
    void handOut(MessageEntry m, ConsumerEntry c, long tag, long nowLoopMillis) {
        QueueEntry q = c.queue;
        m.deliveries++;
        m.state = DeliveryState.IN_FLIGHT;
        m.tag = tag;
        m.consumer = c;
        m.avoid = null;
        m.ackDeadline = nowLoopMillis + q.settings.ackTimeout().toMillis();
        c.unacked.put(tag, m);
        c.delivered++;
        q.unacked++;
        ackDeadlines.add(m);
        if (m.deliveries > 1) {
            q.redelivered++;
        }
        journal.updateDelivery(q.name, m.seq, m.deliveries, DeliveryState.IN_FLIGHT);
    }

    /** Takes in-flight {@code m} back from {@code c}, which then has credit for one more; the caller moves it on. */
    void takeBack(ConsumerEntry c, MessageEntry m) {
        c.unacked.remove(m.tag);
        ackDeadlines.remove(m);
        c.queue.unacked--;
        m.consumer = null;
    }

    /** The in-flight message whose ack deadline passed by {@code nowLoopMillis} first, or null when none did. */
    MessageEntry nextTimedOut(long nowLoopMillis) {
        if (ackDeadlines.isEmpty() || ackDeadlines.first().ackDeadline > nowLoopMillis) {
            return null;
        }
        return ackDeadlines.first();
    }

    /**
     * When, in the loop's millis, the next ack deadline passes, delay ends or message expires (expiries are by wall
     * clock, converted with the two nows); Long.MAX_VALUE when nothing is due ever.
     */
    long nextDue(long nowLoopMillis, long nowWallMillis) {
        long next = Long.MAX_VALUE;
        if (!ackDeadlines.isEmpty()) {
            next = ackDeadlines.first().ackDeadline;
        }
        if (!delays.isEmpty()) {
            next = Math.min(next, delays.first().readyAt);
        }
        if (!expiries.isEmpty()) {
            next = Math.min(next, nowLoopMillis + Math.max(0, expiries.first().expiresAtMillis - nowWallMillis));
        }
        return next;
    }

    /** Takes a waiting (ready or delayed) message out of its line and the time indexes. */
    private void unwait(MessageEntry m) {
        if (m.state == DeliveryState.READY) {
            m.queue.ready.remove(m);
        } else if (m.state == DeliveryState.DELAYED) {
            delays.remove(m);
            m.queue.delayed--;
        }
        if (m.expires()) {
            expiries.remove(m);
        }
    }

    /**
     * A message a consumer let go (ack timeout, nack, consumer gone) goes back to its place in the ready line, and
     * is passed over for {@code avoid} if another consumer has credit; or to the dead-letter queue once the queue
     * has handed it out maxDeliver times.
     */
    void comeBack(MessageEntry m, ConsumerEntry avoid) {
        if (deadLetterIfExhausted(m)) {
            return;
        }
        m.avoid = avoid;
        makeReady(m, false);
        touch(m.queue);
        journal.updateDelivery(m.queue.name, m.seq, m.deliveries, DeliveryState.READY);
    }

    /** A nacked message waits until {@code atLoopMillis}, then goes back to its place in the ready line. */
    void delay(MessageEntry m, long atLoopMillis, ConsumerEntry avoid) {
        m.state = DeliveryState.DELAYED;
        m.readyAt = atLoopMillis;
        m.avoid = avoid;
        delays.add(m);
        m.queue.delayed++;
        if (m.expires()) {
            expiries.add(m);
        }
        journal.updateDelivery(m.queue.name, m.seq, m.deliveries, DeliveryState.DELAYED);
    }

    /** Moves the delayed messages whose delay ended by {@code nowLoopMillis} to the ready line. */
    void endDelays(long nowLoopMillis) {
        while (!delays.isEmpty() && delays.first().readyAt <= nowLoopMillis) {
            MessageEntry m = delays.pollFirst();
            m.queue.delayed--;
            m.state = DeliveryState.READY;
            m.queue.ready.addReturned(m);   // already in the expiry index while delayed
            touch(m.queue);
            journal.updateDelivery(m.queue.name, m.seq, m.deliveries, DeliveryState.READY);
        }
    }

    /** Expires the waiting messages whose time passed by {@code nowWallMillis}. */
    void expireDue(long nowWallMillis) {
        while (!expiries.isEmpty() && expiries.first().expiresAtMillis <= nowWallMillis) {
            MessageEntry m = expiries.first();
            unwait(m);
            expire(m);
        }
    }

    /** True when {@code m}'s queue has handed it out maxDeliver times. */
    boolean deliveriesExhausted(MessageEntry m) {
        return m.deliveriesHere() >= m.queue.settings.maxDeliver();
    }

    /** Dead-letters {@code m}, which is out of every line, if its queue has handed it out maxDeliver times. */
    boolean deadLetterIfExhausted(MessageEntry m) {
        if (!deliveriesExhausted(m)) {
            return false;
        }
        deadLetter(m, "max deliveries (" + m.queue.settings.maxDeliver() + ") exceeded");
        return true;
    }

    /** An expired message, out of every line, is dead-lettered or dropped by its queue's policy. */
    void expire(MessageEntry m) {
        m.queue.expired++;
        if (m.queue.settings.expiredPolicy() == ExpiredPolicy.DROP) {
            drop(m, QueueCore.EXPIRED);
        } else {
            deadLetter(m, QueueCore.EXPIRED);
        }
    }

    /** Discards {@code m}, which is out of every line. */
    private void drop(MessageEntry m, String reason) {
        release(m);
        m.queue.dropped++;
        journal.drop(m.queue.name, m.seq, reason);
    }

    /**
     * Moves {@code m}, which is out of every line, to the end of its queue's dead-letter queue, with its headers
     * and delivery count and the reason and original queue added as headers. A queue that is its own dead-letter
     * queue drops it instead.
     */
    void deadLetter(MessageEntry m, String reason) {
        QueueEntry q = m.queue;
        if (q.deadLetterQueue.equals(q.name)) {
            drop(m, reason + ", and the queue is its own dead-letter queue");
            return;
        }
        release(m);
        q.deadLettered++;
        QueueEntry dlq = queue(q.deadLetterQueue);
        Map<String, String> headers = new LinkedHashMap<>(m.headers.asMap());
        headers.put(QueueCore.REASON_HEADER, reason);
        headers.put(QueueCore.ORIGINAL_QUEUE_HEADER, q.name);
        long now = clock.wallMillis();
        MessageEntry letter = admit(dlq, dlq.nextSeq++, m.producerId, Headers.of(headers), m.body, now,
                expiresAt(dlq, now, 0), m.deliveries, m.deliveries);
        dlq.enqueued++;
        journal.deadLetter(q.name, m.seq, letter.snapshot());
        makeReady(letter, true);
        touch(dlq);
        LOG.debug("message dead-lettered queue={} seq={} deadLetterQueue={} reason={} deliveries={}", q.name, m.seq,
                dlq.name, reason, m.deliveries);
    }

    /**
     * Moves {@code m}, taken from a dead-letter queue's ready line, to the end of queue {@code origin} with its
     * delivery count reset and the dead-letter headers removed. False, with nothing changed, when it does not fit.
     */
    boolean replayOut(MessageEntry m, QueueEntry origin) {
        Map<String, String> map = new LinkedHashMap<>(m.headers.asMap());
        map.remove(QueueCore.REASON_HEADER);
        map.remove(QueueCore.ORIGINAL_QUEUE_HEADER);
        Headers headers = Headers.of(map);
        if (!origin.fits(MessageEntry.sizeOf(headers, m.body))) {
            return false;
        }
        if (m.expires()) {
            expiries.remove(m);
        }
        release(m);
        m.queue.replayed++;
        long now = clock.wallMillis();
        MessageEntry back = admit(origin, origin.nextSeq++, m.producerId, headers, m.body, now,
                expiresAt(origin, now, 0), 0, 0);
        origin.enqueued++;
        journal.replay(m.queue.name, m.seq, back.snapshot());
        makeReady(back, true);
        touch(origin);
        return true;
    }

    /** Drops every waiting (ready or delayed) message of {@code q}; returns how many. */
    int purge(QueueEntry q) {
        List<MessageEntry> purged = q.ready.drain();
        for (MessageEntry m : purged) {
            if (m.expires()) {
                expiries.remove(m);
            }
        }
        List<MessageEntry> delayed = delayedOf(q);
        for (MessageEntry m : delayed) {
            unwait(m);
        }
        purged.addAll(delayed);
        for (MessageEntry m : purged) {
            drop(m, QueueCore.PURGED);
        }
        return purged.size();
    }

    /** The delayed messages of {@code q}, in no particular order. */
    private List<MessageEntry> delayedOf(QueueEntry q) {
        List<MessageEntry> out = new ArrayList<>();
        if (q.delayed > 0) {
            for (MessageEntry m : delays) {
                if (m.queue == q) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** An acked message is done. */
    void ack(MessageEntry m) {
        release(m);
        m.queue.acked++;
        journal.ack(m.queue.name, m.seq);
    }

    /** Rebuilds empty queue {@code q} from stored messages, all ready, in seq order; nothing is journaled. */
    void restore(QueueEntry q, List<RestoredMessage> messages) {
        List<RestoredMessage> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparingLong(RestoredMessage::seq));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).seq() == sorted.get(i - 1).seq()) {
                throw new IllegalArgumentException("restore given seq twice [queue=" + q.name + ", seq="
                        + sorted.get(i).seq() + "]");
            }
        }
        long now = clock.wallMillis();
        long window = q.settings.dedupWindow().toMillis();
        for (RestoredMessage s : sorted) {
            MessageEntry m = admit(q, s.seq(), s.producerId(), s.headers(), s.body(), s.enqueuedAtMillis(),
                    s.expiresAtMillis(), s.deliveries(), s.priorDeliveries());
            makeReady(m, true);
            if (s.producerId() != null && now - s.enqueuedAtMillis() < window) {
                q.dedup.add(s.producerId(), s.seq(), s.enqueuedAtMillis(), q.settings.dedupMaxIds());
            }
            q.nextSeq = Math.max(q.nextSeq, s.seq() + 1);
        }
        touch(q);
    }

    /** Up to {@code limit} messages of {@code q} in seq order, whatever their state. */
    List<MessageSnapshot> list(QueueEntry q, int limit) {
        List<MessageEntry> held = new ArrayList<>(q.ready.first(limit));
        for (ConsumerEntry c : q.consumers) {
            held.addAll(c.unacked.values());
        }
        held.addAll(delayedOf(q));
        held.sort(Comparator.comparingLong(m -> m.seq));
        List<MessageSnapshot> out = new ArrayList<>(Math.min(limit, held.size()));
        for (int i = 0; i < held.size() && i < limit; i++) {
            out.add(held.get(i).snapshot());
        }
        return out;
    }

    /** Queues by name and consumers by queue, then key. */
    QueueStatus status() {
        List<QueueStatus.QueueView> views = new ArrayList<>(queues.size());
        List<QueueStatus.ConsumerView> consumers = new ArrayList<>();
        for (QueueEntry q : queues.values()) {
            QueueEntry dlq = q.deadLetterQueue.equals(q.name) ? null : queues.get(q.deadLetterQueue);
            views.add(new QueueStatus.QueueView(q.name, q.ready.size() + q.delayed, q.delayed, q.unacked,
                    q.consumers.size(), dlq == null ? 0 : dlq.messages, q.bytes, q.enqueued, q.duplicates,
                    q.refused, q.acked, q.redelivered, q.deadLettered, q.expired, q.dropped, q.replayed,
                    q.dedup.size(), q.dedup.evicted()));
            for (ConsumerEntry c : q.consumers) {
                consumers.add(new QueueStatus.ConsumerView(c.key, q.name, c.prefetch, c.unacked.size(),
                        c.delivered));
            }
        }
        views.sort(Comparator.comparing(QueueStatus.QueueView::name));
        consumers.sort(Comparator.comparing(QueueStatus.ConsumerView::queue)
                .thenComparing(v -> v.key().toString()));
        return new QueueStatus(List.copyOf(views), List.copyOf(consumers));
    }

    /** Marks {@code q} to be delivered from before the current operation returns. */
    void touch(QueueEntry q) {
        if (!q.touched) {
            q.touched = true;
            touched.addLast(q);
        }
    }

    QueueEntry nextTouched() {
        QueueEntry q = touched.pollFirst();
        if (q != null) {
            q.touched = false;
        }
        return q;
    }

    /** Forgets producer ids past their queue's window, and the oldest past a bound lowered since they came. */
    void sweepDedup(long nowWallMillis) {
        for (QueueEntry q : queues.values()) {
            q.dedup.evict(nowWallMillis, q.settings.dedupWindow().toMillis());
            q.dedup.trim(q.settings.dedupMaxIds());
        }
    }

    /** Counts {@code m} out of its queue, for good. */
    private static void release(MessageEntry m) {
        m.queue.messages--;
        m.queue.bytes -= m.bytes;
    }
}
