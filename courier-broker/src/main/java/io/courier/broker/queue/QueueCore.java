package io.courier.broker.queue;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable queues, broker side: queues created on first use or declared, producing with duplicate detection and
 * limits, credit-based delivery (prefetch) round-robin across a queue's consumers, ack and nack (requeue in place,
 * after a delay, or reject), redelivery after an ack timeout, max deliveries, time to live, dead-letter queues with
 * replay, purge, and recovery from the store. Thread-free: confined to the broker loop thread and driven directly
 * by unit tests with a manual clock. Deliveries go to a {@link DeliverySink}; durability is the store's job, told
 * through a {@link QueueJournal} of intents the core never waits for.
 *
 * <p>Every message a queue accepted is, at every moment, exactly one of: ready (or delayed) in a queue, in flight
 * to one consumer, acked, moved to a dead-letter queue (where it is a message like any other), or dropped by
 * policy. Each queue delivers in seq order, a message that comes back taking its original place.
 */
public final class QueueCore {
    /** Queue names may not start with it: the store keeps other things (durable streams) under such names. */
    public static final String RESERVED_PREFIX = "\u0000";
    /** Header a dead letter gets: why it was dead-lettered. */
    public static final String REASON_HEADER = "x-dead-letter-reason";
    /** Header a dead letter gets: the queue it came from, where {@link #replay} sends it back. */
    public static final String ORIGINAL_QUEUE_HEADER = "x-original-queue";
    /** Dead-letter reason of a message nacked without requeue. */
    public static final String REJECTED = "rejected";
    /** Dead-letter (or drop) reason of a message whose time to live passed while it waited. */
    public static final String EXPIRED = "expired";
    /** Drop reason of a message removed by {@link #purge}. */
    public static final String PURGED = "purged";
    /** How soon {@link #onTimers} wants to run again while a consumer's sends are refused. */
    static final long RETRY_MILLIS = 1;
    private static final long SWEEP_MILLIS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(QueueCore.class);

    private final MessageLifecycle lifecycle;
    private final Dispatcher dispatcher;
    private final QueueClock clock;
    private final Map<ConsumerKey, ConsumerEntry> consumers = new HashMap<>();
    private long nextSweep;
    private long refusedTotal;

    /** {@code defaults} apply to every queue not {@link #declare declared}, including dead-letter queues. */
    public QueueCore(QueueSettings defaults, QueueJournal journal, DeliverySink sink, QueueClock clock) {
        this.lifecycle = new MessageLifecycle(Objects.requireNonNull(defaults, "defaults"),
                Objects.requireNonNull(journal, "journal"), Objects.requireNonNull(clock, "clock"));
        this.dispatcher = new Dispatcher(lifecycle, Objects.requireNonNull(sink, "sink"), clock);
        this.clock = clock;
    }

    /**
     * Creates queue {@code queue} with {@code settings}, or gives an existing one new settings, live: limits apply to
     * the next enqueue (nothing held is dropped), ackTimeout to the next delivery, ttl to the next arrival.
     */
    public void declare(String queue, QueueSettings settings) {
        Objects.requireNonNull(settings, "settings");
        QueueEntry q = open(queue);
        q.settings(settings);
        q.declared = true;
        lifecycle.touch(q);
        dispatcher.flush();
    }

    /** New defaults, live, for every queue not declared. */
    public void onDefaults(QueueSettings settings) {
        lifecycle.useDefaults(Objects.requireNonNull(settings, "settings"));
    }

    /**
     * A producer's message for {@code queue} (created on first use). {@code producerMessageId}, when not null, is
     * remembered for the queue's dedupWindow (or until dedupMaxIds newer ids push it out): the same id again within
     * it is a no-op answered DUPLICATE with the original seq. {@code ttl} is the message's own time to live, zero
     * for the queue's; the shorter applies. The body arrays must not change afterwards. An ACCEPTED message was
     * appended to the journal, and may already have been delivered; its result carries the future the journal
     * returned for the append, which completes once the message is durable.
     */
    public EnqueueResult enqueue(String queue, String producerMessageId, Headers headers, byte[][] body,
                                 Duration ttl) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("a message's ttl must not be negative [queue=" + queue + ", ttl="
                    + ttl + "]");
        }
        QueueEntry q = open(queue);
        long now = clock.wallMillis();
        long window = q.settings.dedupWindow().toMillis();
        boolean dedup = producerMessageId != null && window > 0;
        if (dedup) {
            long original = q.dedup.find(producerMessageId, now, window);
            if (original > 0) {
                q.duplicates++;
                return EnqueueResult.duplicate(original);
            }
        }
        long size = MessageEntry.sizeOf(headers, body);
        if (!q.fits(size)) {
            q.refused++;
            refusedTotal++;
            if (Long.bitCount(refusedTotal) == 1) {
                LOG.warn("enqueue refused, queue full queue={} messages={} bytes={} refusedTotal={}", q.name,
                        q.messages, q.bytes, refusedTotal);
            }
            return EnqueueResult.full(q.fullDetail(size));
        }
        long ownTtl = ttl.isZero() ? 0 : Math.max(1, ttl.toMillis());
        EnqueueResult accepted = lifecycle.accept(q, producerMessageId, headers, body, now, ownTtl);
        if (dedup) {
            q.dedup.add(producerMessageId, accepted.seq(), now, q.settings.dedupMaxIds());
        }
        dispatcher.flush();
        return accepted;
    }

    /**
     * Attaches consumer {@code consumer} to {@code queue} (created on first use) with credit for {@code prefetch}
     * unacked messages, or changes the prefetch of one already attached there. False, with nothing changed, when
     * it is attached to another queue.
     */
    public boolean attach(ConsumerKey consumer, String queue, int prefetch) {
        Objects.requireNonNull(consumer, "consumer");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1 [consumer=" + consumer + ", prefetch="
                    + prefetch + "]");
        }
        ConsumerEntry c = consumers.get(consumer);
        if (c != null) {
            if (!c.queue.name.equals(queue)) {
                return false;
            }
            c.prefetch = prefetch;
            if (c.inRotation && !c.hasCredit()) {
                c.queue.rotation.remove(c);
                c.inRotation = false;
            }
        } else {
            QueueEntry q = open(queue);
            c = new ConsumerEntry(consumer, q, prefetch);
            consumers.put(consumer, c);
            q.consumers.add(c);
            LOG.debug("consumer attached queue={} consumer={} prefetch={} consumers={}", queue, consumer, prefetch,
                    q.consumers.size());
        }
        c.queue.offer(c);
        lifecycle.touch(c.queue);
        dispatcher.flush();
        return true;
    }

    /**
     * Detaches a consumer: its unacked messages go back to the ready line, at their places (so in order, in front
     * of what came after them). Returns how many; 0 for an unknown consumer.
     */
    public int detach(ConsumerKey consumer) {
        ConsumerEntry c = consumers.remove(consumer);
        if (c == null) {
            return 0;
        }
        QueueEntry q = c.queue;
        c.detached = true;
        q.consumers.remove(c);
        if (c.inRotation) {
            q.rotation.remove(c);
            c.inRotation = false;
        }
        List<MessageEntry> held = new ArrayList<>(c.unacked.values());
        for (MessageEntry m : held) {
            lifecycle.takeBack(c, m);
            lifecycle.comeBack(m, null);
        }
        LOG.debug("consumer detached queue={} consumer={} returned={} consumers={}", q.name, consumer, held.size(),
                q.consumers.size());
        lifecycle.touch(q);
        dispatcher.flush();
        return held.size();
    }

    /** The peer is gone: each of its consumers is detached. */
    public void onPeerGone(PeerId peer) {
        List<ConsumerKey> gone = new ArrayList<>();
        for (ConsumerKey key : consumers.keySet()) {
            if (key.peer().equals(peer)) {
                gone.add(key);
            }
        }
        for (ConsumerKey key : gone) {
            detach(key);
        }
    }

    /** Acks delivery {@code tag}: the message is done. False for a tag the consumer does not hold (now). */
    public boolean ack(ConsumerKey consumer, long tag) {
        boolean held = settle(consumers.get(consumer), tag);
        dispatcher.flush();
        return held;
    }

    /**
     * Acks every delivery of {@code tags} (one ACK frame), then hands out what the freed credit allows, once.
     * Tags the consumer does not hold (now) are given to {@code unknown}.
     */
    public void ack(ConsumerKey consumer, long[] tags, LongConsumer unknown) {
        ConsumerEntry c = consumers.get(consumer);
        for (long tag : tags) {
            if (!settle(c, tag)) {
                unknown.accept(tag);
            }
        }
        dispatcher.flush();
    }

    private boolean settle(ConsumerEntry c, long tag) {
        MessageEntry m = c == null ? null : c.unacked.get(tag);
        if (m == null) {
            return false;
        }
        lifecycle.takeBack(c, m);
        lifecycle.ack(m);
        c.queue.offer(c);
        lifecycle.touch(c.queue);
        return true;
    }

    /**
     * Nacks delivery {@code tag}. With {@code requeue} the message goes back to its place in the ready line, at once
     * or after {@code delay}, and is passed over for this consumer if another has credit (or is dead-lettered if
     * the queue has handed it out maxDeliver times); without, it is dead-lettered as {@link #REJECTED}. False for a
     * tag the consumer does not hold (now).
     */
    public boolean nack(ConsumerKey consumer, long tag, boolean requeue, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a nack's delay must not be negative [delay=" + delay + "]");
        }
        ConsumerEntry c = consumers.get(consumer);
        MessageEntry m = c == null ? null : c.unacked.get(tag);
        if (m == null) {
            return false;
        }
        lifecycle.takeBack(c, m);
        if (!requeue) {
            lifecycle.deadLetter(m, REJECTED);
        } else if (delay.isZero() || lifecycle.deliveriesExhausted(m)) {
            lifecycle.comeBack(m, c);
        } else {
            lifecycle.delay(m, clock.loopMillis() + Math.max(1, delay.toMillis()), c);
        }
        c.queue.offer(c);
        lifecycle.touch(c.queue);
        dispatcher.flush();
        return true;
    }

    /**
     * Sends what queue {@code queue} can send now: for the transport when its consumers may take messages again
     * (their blocked sends are retried). The core delivers by itself after every change. Returns how many.
     */
    public int deliver(String queue) {
        QueueEntry q = lifecycle.find(queue);
        if (q == null) {
            return 0;
        }
        dispatcher.unblock(q);
        int sent = dispatcher.dispatch(q);
        dispatcher.flush();
        return sent;
    }

    /**
     * Runs what is due: ack timeouts (the message goes to another consumer), ends of nack delays, expiries (by
     * wall clock), retries of refused sends. Returns when to run again in the loop's millis, or Long.MAX_VALUE.
     */
    public long onTimers(long nowMillis) {
        long wallNow = clock.wallMillis();
        for (MessageEntry m; (m = lifecycle.nextTimedOut(nowMillis)) != null; ) {
            ConsumerEntry c = m.consumer;
            LOG.debug("delivery timed out queue={} seq={} consumer={} deliveries={}", c.queue.name, m.seq, c.key,
                    m.deliveries);
            lifecycle.takeBack(c, m);
            lifecycle.comeBack(m, c);
            c.queue.offer(c);
        }
        lifecycle.endDelays(nowMillis);
        lifecycle.expireDue(wallNow);
        dispatcher.unblock(null);
        if (nowMillis >= nextSweep) {
            lifecycle.sweepDedup(wallNow);
            nextSweep = nowMillis + SWEEP_MILLIS;
        }
        dispatcher.flush();
        return nextWake(nowMillis, wallNow);
    }

    /**
     * Up to {@code limit} messages of {@code queue} in seq order, whatever their state: for inspecting a
     * dead-letter queue. Empty for an unknown queue.
     */
    public List<MessageSnapshot> list(String queue, int limit) {
        QueueEntry q = lifecycle.find(queue);
        if (q == null || limit < 1) {
            return List.of();
        }
        return lifecycle.list(q, limit);
    }

    /**
     * Moves up to {@code count} ready messages of dead-letter queue {@code deadLetterQueue}, first first, back to
     * the queue named by their {@link #ORIGINAL_QUEUE_HEADER}, at its end, with the delivery count reset and the
     * dead-letter headers removed. Messages without a valid original queue stay; the replay stops at the first
     * whose queue is full. Returns how many moved.
     */
    public int replay(String deadLetterQueue, int count) {
        QueueEntry dlq = lifecycle.find(deadLetterQueue);
        if (dlq == null || count < 1) {
            return 0;
        }
        List<MessageEntry> stay = new ArrayList<>();
        int moved = 0;
        while (moved < count) {
            MessageEntry m = dlq.ready.poll();
            if (m == null) {
                break;
            }
            String origin = m.headers.get(ORIGINAL_QUEUE_HEADER);
            if (origin == null || origin.equals(dlq.name) || !isValidName(origin)) {
                stay.add(m);
                continue;
            }
            if (!lifecycle.replayOut(m, lifecycle.queue(origin))) {
                stay.add(m);
                break;
            }
            moved++;
        }
        for (MessageEntry m : stay) {
            dlq.ready.addReturned(m);
        }
        LOG.info("dead letters replayed queue={} replayed={}", deadLetterQueue, moved);
        dispatcher.flush();
        return moved;
    }

    /** Drops every ready and delayed message of {@code queue}; in-flight ones stay with their consumers. */
    public int purge(String queue) {
        QueueEntry q = lifecycle.find(queue);
        int purged = q == null ? 0 : lifecycle.purge(q);
        LOG.info("queue purged queue={} dropped={}", queue, purged);
        return purged;
    }

    /**
     * Rebuilds queue {@code queue}, which must hold nothing, from what the store kept: every message ready, in seq
     * order, whatever it was at the crash, with its delivery counts; producer ids within the window remembered; new
     * seqs continue after the highest. Nothing is journaled. Declare the queue before, if it has settings.
     */
    public void restore(String queue, List<RestoredMessage> messages) {
        restore(queue, messages, 1);
    }

    /**
     * As {@link #restore(String, List)}, and new seqs start at {@code nextSeq} at least: the seq floor the store
     * kept, so that seqs of messages acked before the restart are not given again.
     */
    public void restore(String queue, List<RestoredMessage> messages, long nextSeq) {
        Objects.requireNonNull(messages, "messages");
        QueueEntry q = open(queue);
        if (q.messages > 0) {
            throw new IllegalStateException("restore needs an empty queue [queue=" + queue + ", messages="
                    + q.messages + "]");
        }
        lifecycle.restore(q, messages);
        q.nextSeq = Math.max(q.nextSeq, nextSeq);
        LOG.info("queue restored queue={} messages={} nextSeq={}", queue, q.messages, q.nextSeq);
        lifecycle.touch(q);
        dispatcher.flush();
    }

    /** Queues by name and consumers by queue, then key, now. */
    public QueueStatus status() {
        return lifecycle.status();
    }

    private long nextWake(long nowMillis, long wallNow) {
        long next = lifecycle.nextDue(nowMillis, wallNow);
        if (dispatcher.hasBlocked()) {
            next = Math.min(next, nowMillis + RETRY_MILLIS);
        }
        return next;
    }

    /** Queue {@code name}, created with the defaults if new; its name is checked then. */
    private QueueEntry open(String name) {
        Objects.requireNonNull(name, "queue");
        if (!lifecycle.exists(name) && !isValidName(name)) {
            throw new IllegalArgumentException("a queue name must be 1 to " + QueueSettings.MAX_NAME_BYTES
                    + " bytes of UTF-8 [queue=" + name + "]");
        }
        return lifecycle.queue(name);
    }

    private static boolean isValidName(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        return bytes >= 1 && bytes <= QueueSettings.MAX_NAME_BYTES && !name.startsWith(RESERVED_PREFIX);
    }
}
