package io.courier.broker.stream;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.Headers;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.StreamStart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams, broker side: sequence numbers and retained logs per topic, subscriptions with their starts (NOW,
 * FIRST, LAST, SEQ, TIME, resume map), live fan-out, catch-up of lagging subscribers with LOSS for what left the
 * log, the DISCONNECT policy, and REPLAY. Thread-free: confined to the broker loop thread and driven directly by
 * unit tests with a manual clock. Sends go to an {@link EventSink}, which never blocks.
 *
 * <p>A subscription is live on a stream (it gets each message as it is published) unless it holds a cursor
 * there: catching up from the retained log, or waiting for a seq beyond the head. Streams created after SUBSCRIBE
 * are live from their first message. Per stream, a subscriber gets each seq from its start exactly once, as an
 * EVENT or inside a LOSS range, in increasing order.
 */
public final class StreamCore {
    /** What {@link #publish} returns when it refuses a message because a new stream would pass maxStreams. */
    public static final long REFUSED = -1;
    /** UNSUBSCRIBED reason when the DISCONNECT policy cancels a subscription. */
    public static final String TOO_SLOW = "too slow: the subscriber's queue is full";
    /** LOSS reason for seqs evicted while a subscriber lagged behind. */
    public static final String EVICTED = "evicted from the retained log before it could be sent";
    /** LOSS reason for seqs asked for (SEQ start, resume map, REPLAY) that are no longer retained. */
    public static final String NOT_RETAINED = "not retained";
    /** LOSS reason for a REPLAY refused because the subscription has too many pending. */
    public static final String TOO_MANY_REPLAYS = "too many replays pending";
    /** How many REPLAYs one subscription may have pending. */
    static final int MAX_REPLAYS = 16;
    /** How soon the loop should come back while a lagging subscriber's queue is full. */
    static final long LAG_RETRY_MILLIS = 1;
    private static final long MIN_AGE_CHECK_MILLIS = 10;
    private static final long MAX_AGE_CHECK_MILLIS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(StreamCore.class);

    private StreamSettings settings;
    /** How often retained logs are checked for age: a sixteenth of the shortest maxAge, 10 ms to 1 s. */
    private long ageCheckMillis;
    private final EventSink sink;
    private final StreamMetrics metrics;
    private final LongSupplier wallClock;
    private final Map<String, StreamEntry> streams = new HashMap<>();
    private final List<StreamEntry> streamList = new ArrayList<>();
    private final SubscriptionIndex index = new SubscriptionIndex();
    private final CatchUp catchUp;
    private StreamJournal journal = StreamJournal.NONE;
    private long nextAgeCheck;
    private long published;
    private long delivered;
    private long lost;
    private long refused;
    private long slowDisconnects;

    /**
     * {@code wallClock} gives epoch millis, for message timestamps and age eviction; {@link #onTimers} takes the
     * loop's own (monotonic) millis for scheduling.
     */
    public StreamCore(StreamSettings settings, EventSink sink, StreamMetrics metrics, LongSupplier wallClock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.catchUp = new CatchUp(sink, this::tooSlow);
        onSettings(settings);
    }

    /**
     * Appends a message to stream {@code topic} (created on first use), stamped now, and sends it to every
     * subscription live on it. Returns its seq, or {@link #REFUSED} when the stream is new and maxStreams exist.
     * The body arrays must not change afterwards.
     */
    public long publish(String topic, Headers headers, byte[][] body) {
        if (body.length == 0) {
            throw new IllegalArgumentException("a stream message needs at least one body frame [topic=" + topic + "]");
        }
        StreamEntry stream = streams.get(topic);
        if (stream == null) {
            stream = open(topic, headers);
            if (stream == null) {
                return REFUSED;
            }
        }
        StreamMessage message = stream.append(wallClock.getAsLong(), headers, body);
        if (stream.durable) {
            keep(stream, message);
        }
        long seq = message.seq();
        published++;
        stream.metrics.onPublished();
        if (stream.hasWaiters()) {
            stream.wake(seq);
        }
        SubscriptionEntry[] live = stream.live(index);
        int sent = 0;
        for (SubscriptionEntry sub : live) {
            if (sink.event(sub.peer, sub.id, message)) {
                sub.delivered++;
                sent++;
            } else if (!sub.closed) {
                lagOrCancel(sub, stream, seq);
            }
        }
        if (sent > 0) {
            delivered += sent;
            stream.metrics.onDelivered(sent);
        }
        return seq;
    }

    /**
     * Opens (or replaces) subscription {@code subscriptionId} of {@code peer} to the streams whose topic starts
     * with {@code prefix}, answers SUBSCRIBED with their heads, and sets where it starts in each. History is sent
     * by the catch-up passes of {@link #onTimers}. {@code startValue} is the seq of {@link StreamStart#SEQ} or the
     * epoch millis of {@link StreamStart#TIME}; {@code resume} maps topics to the next seq wanted, overriding the
     * start.
     */
    public void subscribe(PeerId peer, long subscriptionId, String prefix, StreamStart start, long startValue,
                          SlowPolicy policy, Map<String, Long> resume) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(resume, "resume");
        SubscriptionEntry old = index.get(peer, subscriptionId);
        if (old != null) {
            remove(old);
        }
        Map<String, Long> pending = new HashMap<>();
        resume.forEach((topic, next) -> {
            if (topic.startsWith(prefix) && !streams.containsKey(topic)) {
                pending.put(topic, next);
            }
        });
        SubscriptionEntry sub = new SubscriptionEntry(peer, subscriptionId, prefix, start, startValue, policy,
                pending.isEmpty() ? Map.of() : pending);
        index.add(sub);
        Map<String, Long> heads = new LinkedHashMap<>();
        for (StreamEntry stream : streamList) {
            if (sub.matches(stream.topic)) {
                heads.put(stream.topic, stream.log.headSeq());
                stream.live = null;
                Long next = resume.get(stream.topic);
                StartPlacement.place(sub, stream,
                        next != null ? Math.max(1, next) : StartPlacement.startSeq(stream.log, start, startValue));
            }
        }
        sink.subscribed(peer, subscriptionId, heads);
        if (sub.isLagging()) {
            catchUp.enqueue(sub);
        }
        LOG.debug("subscribed peer={} id={} prefix={} start={} policy={} streams={}", peer, subscriptionId, prefix,
                start, policy, heads.size());
        gauges();
    }

    /** Ends a subscription at its client's request and answers UNSUBSCRIBED; false when there was none. */
    public boolean unsubscribe(PeerId peer, long subscriptionId) {
        SubscriptionEntry sub = index.get(peer, subscriptionId);
        if (sub == null) {
            sink.unsubscribed(peer, subscriptionId, "no such subscription");
            return false;
        }
        remove(sub);
        sink.unsubscribed(peer, subscriptionId, "unsubscribed");
        LOG.debug("unsubscribed peer={} id={} delivered={} lost={}", peer, subscriptionId, sub.delivered, sub.lost);
        gauges();
        return true;
    }

    /**
     * REPLAY: queues EVENTs of {@code topic} for seqs {@code fromSeq} to {@code toSeq} that are retained, and a
     * LOSS for those that are not; seqs above the head are ignored. Sent by the catch-up passes. Ignored for an
     * unknown subscription or a topic it does not match.
     */
    public void replay(PeerId peer, long subscriptionId, String topic, long fromSeq, long toSeq) {
        SubscriptionEntry sub = index.get(peer, subscriptionId);
        StreamEntry stream = streams.get(topic);
        if (sub == null || stream == null || !sub.matches(topic)) {
            LOG.debug("replay ignored peer={} id={} topic={} known={}", peer, subscriptionId, topic, sub != null);
            return;
        }
        long from = Math.max(1, fromSeq);
        long to = Math.min(toSeq, stream.log.headSeq());
        if (from > to) {
            return;
        }
        if (sub.replays >= MAX_REPLAYS) {
            if (sink.loss(peer, subscriptionId, topic, from, to, TOO_MANY_REPLAYS)) {
                sub.lost += to - from + 1;
                lost += to - from + 1;
                stream.metrics.onLost(to - from + 1);
            } else if (sub.policy == SlowPolicy.DISCONNECT) {
                tooSlow(sub);
            }
            return;
        }
        sub.replays++;
        sub.backlog.addLast(new Cursor(sub, stream, from, true, to, NOT_RETAINED));
        catchUp.enqueue(sub);
        gauges();
    }

    /**
     * A batching sink could not deliver seqs {@code fromSeq} to {@code toSeq} of {@code topic} that it had
     * accepted for subscription {@code subscriptionId} of {@code peer} (the peer's queue was full when the batch
     * went out, and a ROUTER send is all or nothing). Called by the sink's owner after the flush, never from
     * within a call to the sink. The guarantees of a refused send hold as if the first seq had been refused: a
     * LAG subscription catches up from {@code fromSeq} (a catch-up cursor already past it is rewound there), a
     * DISCONNECT one ends too slow; a REPLAY answer ({@code replay}) is queued again for the range. Ignored for a
     * subscription that is gone.
     */
    public void onUndelivered(PeerId peer, long subscriptionId, String topic, long fromSeq, long toSeq,
                              boolean replay) {
        SubscriptionEntry sub = index.get(peer, subscriptionId);
        StreamEntry stream = streams.get(topic);
        if (sub == null || sub.closed || stream == null || fromSeq < 1 || toSeq < fromSeq) {
            return;
        }
        sub.delivered = Math.max(0, sub.delivered - (toSeq - fromSeq + 1));
        if (sub.policy == SlowPolicy.DISCONNECT) {
            tooSlow(sub);
            return;
        }
        if (replay) {
            sub.replays++;
            sub.backlog.addLast(new Cursor(sub, stream, fromSeq, true, toSeq, NOT_RETAINED));
        } else {
            Cursor cursor = sub.cursor(stream);
            if (cursor == null) {
                cursor = new Cursor(sub, stream, fromSeq, false, 0, EVICTED);
                sub.setCursor(cursor);
                sub.backlog.addLast(cursor);
                stream.live = null;
            } else if (fromSeq < cursor.next) {
                cursor.next = fromSeq;
                if (stream.removeWaiter(cursor)) {
                    sub.backlog.addLast(cursor);
                }
            }
        }
        LOG.trace("undelivered peer={} id={} topic={} fromSeq={} toSeq={} replay={}", peer, subscriptionId, topic,
                fromSeq, toSeq, replay);
        catchUp.enqueue(sub);
        gauges();
    }

    /** The peer is gone: its subscriptions end, with nothing sent. */
    public void onPeerGone(PeerId peer) {
        sink.peerGone(peer);
        List<SubscriptionEntry> subs = index.ofPeer(peer);
        for (SubscriptionEntry sub : subs) {
            remove(sub);
        }
        if (!subs.isEmpty()) {
            LOG.debug("subscriptions of a gone peer removed peer={} count={}", peer, subs.size());
            gauges();
        }
    }

    /**
     * Runs a catch-up pass (at most catchUpBatch sends, fair across lagging subscriptions) and, when due, evicts
     * by age. Returns when to run again, in the loop's millis: {@code nowMillis} when the pass used its whole
     * batch, 1 ms later while subscribers still lag, at most a second otherwise.
     */
    public long onTimers(long nowMillis) {
        if (nowMillis >= nextAgeCheck) {
            long wallNow = wallClock.getAsLong();
            for (StreamEntry stream : streamList) {
                stream.evictByAge(wallNow);
                if (stream.durable) {
                    forgetEvicted(stream);
                }
            }
            nextAgeCheck = nowMillis + ageCheckMillis;
        }
        long next = nextAgeCheck;
        if (!catchUp.isEmpty()) {
            boolean more = catchUp.run(settings.catchUpBatch());
            gauges();
            if (!catchUp.isEmpty()) {
                next = Math.min(next, more ? nowMillis : nowMillis + LAG_RETRY_MILLIS);
            }
        }
        return next;
    }

    /** True while some subscription has messages to catch up or replay. */
    public boolean hasBacklog() {
        return !catchUp.isEmpty();
    }

    /**
     * New limits, live: each stream's retention is resolved again from the new rules, and its retained log meets
     * it on its next append or age check (the next {@link #onTimers}).
     */
    public void onSettings(StreamSettings value) {
        settings = Objects.requireNonNull(value, "settings");
        for (StreamEntry stream : streamList) {
            stream.retain(value.retentionFor(stream.topic));
        }
        ageCheckMillis = Math.max(MIN_AGE_CHECK_MILLIS, Math.min(MAX_AGE_CHECK_MILLIS,
                value.shortestMaxAge().toMillis() / 16));
        nextAgeCheck = 0;
    }

    /**
     * Where durable streams keep their logs from now on; set before {@link #restore} and the first publish.
     * Without one (the default) durable streams are kept in memory only.
     */
    public void useJournal(StreamJournal value) {
        journal = Objects.requireNonNull(value, "value");
    }

    /**
     * Puts back durable stream {@code topic} as the store kept it: its retained messages, in seq order and
     * following one another, so that numbering goes on after the last. At start, before any traffic. The stream
     * takes the retention its rules give it now: one no longer durable keeps the restored messages in memory
     * only, and its stored copy is deleted.
     */
    public void restore(String topic, List<StreamMessage> messages) {
        if (messages.isEmpty() || streams.containsKey(topic)) {
            return;
        }
        StreamEntry stream = new StreamEntry(topic, metrics.stream(topic), settings.retentionFor(topic));
        for (StreamMessage m : messages) {
            stream.log.restore(m);
        }
        stream.storedFrom = stream.log.firstSeq();
        if (!stream.durable) {
            journal.evict(topic, stream.log.firstSeq(), stream.log.headSeq());
        }
        streams.put(topic, stream);
        streamList.add(stream);
        metrics.onStreams(streams.size());
        LOG.info("durable stream restored topic={} firstSeq={} headSeq={} messages={}", topic,
                stream.log.firstSeq(), stream.log.headSeq(), stream.log.count());
    }

    /** A durable stream appended {@code message}: into the journal, and what its append evicted out of it. */
    private void keep(StreamEntry stream, StreamMessage message) {
        journal.append(message);
        forgetEvicted(stream);
    }

    /**
     * Deletes from the journal what the log of durable {@code stream} evicted since the last time, except its
     * head: the store always holds the newest message, so that numbering goes on after a restart even when
     * everything was evicted (the restored head is then evicted again in memory by its age or size).
     */
    private void forgetEvicted(StreamEntry stream) {
        long upTo = Math.min(stream.log.firstSeq() - 1, stream.log.headSeq() - 1);
        if (upTo >= stream.storedFrom) {
            journal.evict(stream.topic, stream.storedFrom, upTo);
            stream.storedFrom = upTo + 1;
        }
    }

    /** The retention stream {@code topic} has now; empty when there is no such stream. */
    public Optional<Retention> retention(String topic) {
        StreamEntry stream = streams.get(topic);
        return stream == null ? Optional.empty() : Optional.of(stream.retention());
    }

    /** Topic to head seq of every stream whose topic starts with {@code prefix}. */
    public Map<String, Long> heads(String prefix) {
        Map<String, Long> heads = new LinkedHashMap<>();
        for (StreamEntry stream : streamList) {
            if (stream.topic.startsWith(prefix)) {
                heads.put(stream.topic, stream.log.headSeq());
            }
        }
        return heads;
    }

    /** Streams and subscriptions now, for the status document; streams by name, subscriptions by peer and id. */
    public StreamStatus status() {
        List<StreamStatus.StreamView> streamViews = new ArrayList<>(streamList.size());
        for (StreamEntry s : streamList) {
            streamViews.add(new StreamStatus.StreamView(s.topic, s.log.headSeq(), s.log.firstSeq(), s.log.count(),
                    s.log.bytes()));
        }
        streamViews.sort((a, b) -> a.name().compareTo(b.name()));
        List<StreamStatus.SubscriptionView> subViews = new ArrayList<>(index.size());
        for (Map<Long, SubscriptionEntry> subs : index.byPeer()) {
            for (SubscriptionEntry sub : subs.values()) {
                subViews.add(new StreamStatus.SubscriptionView(sub.peer.toString(), sub.id, sub.prefix,
                        sub.policy.name(), sub.isLagging(), sub.delivered, sub.lost));
            }
        }
        subViews.sort((a, b) -> a.peer().equals(b.peer()) ? Long.compare(a.id(), b.id())
                : a.peer().compareTo(b.peer()));
        return new StreamStatus(List.copyOf(streamViews), List.copyOf(subViews));
    }

    /** The counters now. */
    public StreamStats stats() {
        long retained = 0;
        long retainedBytes = 0;
        for (StreamEntry s : streamList) {
            retained += s.log.count();
            retainedBytes += s.log.bytes();
        }
        return new StreamStats(streams.size(), index.size(), catchUp.size(), published, delivered
                + catchUp.delivered(), lost + catchUp.lost(), refused, slowDisconnects, retained, retainedBytes);
    }

    /** Creates stream {@code topic}, with every matching subscription live or waiting on it; null when refused. */
    private StreamEntry open(String topic, Headers headers) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(headers, "headers");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("a stream message needs a topic of 1 to 255 bytes");
        }
        if (streams.size() >= settings.maxStreams()) {
            refused++;
            metrics.onPublishRefused("too_many_streams");
            if (Long.bitCount(refused) == 1) {
                LOG.warn("publish refused, too many streams topic={} maxStreams={} refusedTotal={}", topic,
                        settings.maxStreams(), refused);
            }
            return null;
        }
        StreamEntry stream = new StreamEntry(topic, metrics.stream(topic), settings.retentionFor(topic));
        streams.put(topic, stream);
        streamList.add(stream);
        index.forEachMatching(topic, sub -> {
            Long resume = sub.pendingResume.isEmpty() ? null : sub.pendingResume.remove(topic);
            long from = resume != null ? resume : sub.start == StreamStart.SEQ ? sub.startValue : 1;
            StartPlacement.place(sub, stream, Math.max(1, from));
        });
        metrics.onStreams(streams.size());
        LOG.debug("stream created topic={} streams={}", topic, streams.size());
        return stream;
    }

    /** A live send was refused: LAG remembers the seq and catches up later; DISCONNECT cancels. */
    private void lagOrCancel(SubscriptionEntry sub, StreamEntry stream, long seq) {
        if (sub.policy == SlowPolicy.DISCONNECT) {
            tooSlow(sub);
            return;
        }
        Cursor cursor = new Cursor(sub, stream, seq, false, 0, EVICTED);
        sub.setCursor(cursor);
        sub.backlog.addLast(cursor);
        stream.live = null;
        if (!sub.queued) {
            catchUp.enqueue(sub);
            LOG.trace("subscription lagging peer={} id={} topic={} seq={}", sub.peer, sub.id, stream.topic, seq);
            gauges();
        }
    }

    private void tooSlow(SubscriptionEntry sub) {
        remove(sub);
        slowDisconnects++;
        metrics.onSlowDisconnect();
        sink.unsubscribed(sub.peer, sub.id, TOO_SLOW);
        if (Long.bitCount(slowDisconnects) == 1) {
            LOG.warn("slow subscriber disconnected peer={} id={} prefix={} slowDisconnectsTotal={}", sub.peer, sub.id,
                    sub.prefix, slowDisconnects);
        }
        gauges();
    }

    /** Takes {@code sub} out of every structure; the caller says whether the subscriber is told. */
    private void remove(SubscriptionEntry sub) {
        sub.closed = true;
        index.remove(sub);
        catchUp.remove(sub);
        for (Cursor cursor : sub.cursors()) {
            cursor.stream.removeWaiter(cursor);
        }
        for (StreamEntry stream : streamList) {
            if (sub.matches(stream.topic)) {
                stream.live = null;
            }
        }
    }

    private void gauges() {
        metrics.onSubscriptions(index.size(), catchUp.size());
    }
}
