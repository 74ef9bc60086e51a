package io.courier.broker.transport;

import io.courier.broker.config.QueuesConfig;
import io.courier.broker.config.StoreConfig;
import io.courier.broker.metrics.QueueMetricsExporter;
import io.courier.broker.queue.ConsumerKey;
import io.courier.broker.queue.EnqueueResult;
import io.courier.broker.queue.MessageSnapshot;
import io.courier.broker.queue.QueueClock;
import io.courier.broker.queue.QueueCore;
import io.courier.broker.queue.QueueJournal;
import io.courier.broker.queue.QueueSettings;
import io.courier.broker.queue.QueueStatus;
import io.courier.broker.queue.StoreJournal;
import io.courier.broker.queue.StoreStatus;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.codec.NativeMessage.Ack;
import io.courier.protocol.codec.NativeMessage.Cancel;
import io.courier.protocol.codec.NativeMessage.Cancelled;
import io.courier.protocol.codec.NativeMessage.Confirm;
import io.courier.protocol.codec.NativeMessage.Consume;
import io.courier.protocol.codec.NativeMessage.Consuming;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Nack;
import io.courier.protocol.codec.NativeMessage.QueueAdmin;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply.ListedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable-queue commands of the native protocol (docs/protocol.md section 10) on the frontend: ENQUEUE,
 * CONSUME, ACK, NACK, CANCEL and QUEUE_ADMIN go to the {@link QueueCore}; CONFIRM waits for the store. The store
 * completes an append on its own thread, which only queues the outcome here and wakes the loop; the loop sends
 * every CONFIRM that arrived in one pass ({@link #onStored}). Confined to the broker loop thread, except that
 * store completions enter through a lock-free queue.
 */
final class QueueRoutes {
    static final String SHUTTING_DOWN = "broker shutting down";
    private static final Logger LOG = LoggerFactory.getLogger(QueueRoutes.class);
    private static final int LIST_DEFAULT = 100;
    private static final int LIST_MAX = 1_000;
    private static final long METRICS_EVERY_MILLIS = 1_000;

    /** An enqueue whose CONFIRM waits for the store. */
    private record Owed(PeerId peer, long correlationId, String queue, long seq) {
    }

    /** The outcome of one store command (a pass's appends), as the store's confirmation thread hands it over. */
    private record Stored(List<Owed> confirms, Throwable error) {
    }

    private final QueueCore core;
    private final RouterOutbox out;
    private final QueueSink sink;
    private final StoreJournal journal;
    private final Runnable wake;
    private final QueueMetricsExporter metrics;
    private final ConcurrentLinkedQueue<Stored> stored = new ConcurrentLinkedQueue<>();
    /** The store command the latest appends went into, and the confirms owed when it completes. */
    private CompletableFuture<Void> owedWrite;
    private List<Owed> owed;
    private final Map<ConsumerKey, String> consumers = new HashMap<>();
    private final Map<String, Long> confirmed = new HashMap<>();
    private QueuesConfig settings;
    private int pendingConfirms;
    private long unknownTags;
    private long refusedUnstored;
    private long nextMetricsAt;
    private boolean draining;

    /** {@code journal} is null for a broker without a store: an enqueue is confirmed at once. */
    QueueRoutes(QueueCore core, RouterOutbox out, QueueSink sink, StoreJournal journal, Runnable wake,
                QueueMetricsExporter metrics, QueuesConfig settings) {
        this.core = core;
        this.out = out;
        this.sink = sink;
        this.journal = journal;
        this.wake = wake;
        this.metrics = metrics;
        onSettings(settings);
    }

    /**
     * The routes of a starting loop: a queue core on {@code backing}'s journal (in memory when null) with the
     * policies of {@code config}, the queues the store kept restored.
     */
    static QueueRoutes create(QueuesConfig config, RouterOutbox out, QueueBacking backing, Runnable wake,
                              QueueMetricsExporter metrics) {
        QueueSink sink = new QueueSink(out);
        StoreJournal journal = backing == null ? null : backing.journal();
        QueueCore core = new QueueCore(config.defaults(), journal == null ? QueueJournal.NONE : journal, sink,
                QueueClock.SYSTEM);
        QueueRoutes routes = new QueueRoutes(core, out, sink, journal, wake, metrics, config);
        if (backing != null) {
            routes.restore(backing.restored());
            metrics.onStore(journal::pendingWrites, journal::failures);
        }
        return routes;
    }

    /**
     * Queue policies, live: new defaults for every queue without a section, and each named queue declared with
     * its own. A queue whose section was removed takes the defaults as they are now.
     */
    void onSettings(QueuesConfig next) {
        QueuesConfig previous = settings;
        settings = next;
        core.onDefaults(next.defaults());
        next.queues().forEach(core::declare);
        if (previous != null) {
            for (String gone : previous.queues().keySet()) {
                if (!next.queues().containsKey(gone)) {
                    core.declare(gone, next.defaults());
                }
            }
        }
    }

    /** Rebuilds the queues the store kept, before any traffic. */
    void restore(List<StoreJournal.Restored> restored) {
        for (StoreJournal.Restored q : restored) {
            core.restore(q.queue(), q.messages(), q.nextSeq());
        }
    }

    void onEnqueue(PeerId peer, Enqueue e) {
        if (draining) {
            out.send(peer, new ErrorReply(e.correlationId(), ErrorCode.UNAVAILABLE, "enqueue to '" + e.queue()
                    + "' refused: " + SHUTTING_DOWN));
            return;
        }
        if (journal != null && !storeWritable(peer, e)) {
            return;
        }
        String producerId = e.messageId().isEmpty() ? null : e.messageId();
        EnqueueResult result = core.enqueue(e.queue(), producerId, e.headers(), new byte[][] {e.body()},
                Duration.ofMillis(Integer.toUnsignedLong(e.ttlMillis())));
        switch (result.outcome()) {
            case ACCEPTED -> confirmWhenStored(peer, e, result.seq(), result.stored());
            case DUPLICATE -> out.send(peer, new Confirm(e.correlationId(), e.queue(), result.seq(), true));
            default -> out.send(peer, new ErrorReply(e.correlationId(), ErrorCode.QUEUE_FULL, "enqueue to '"
                    + e.queue() + "' refused: queue full: " + result.detail()));
        }
        afterCore();
    }

    /** False, with the producer answered, when the store cannot take the message: it failed, or it is busy. */
    private boolean storeWritable(PeerId peer, Enqueue e) {
        StoreJournal.Refusal refusal = journal.refusal();
        if (refusal == null) {
            return true;
        }
        ErrorCode code = refusal.failed() ? ErrorCode.UNAVAILABLE : ErrorCode.QUEUE_FULL;
        out.send(peer, new ErrorReply(e.correlationId(), code, "enqueue to '" + e.queue() + "' refused: "
                + refusal.reason()));
        return false;
    }

    /** Confirms an accepted enqueue once {@code write}, the journal's future for its append, completes. */
    private void confirmWhenStored(PeerId peer, Enqueue e, long seq, CompletableFuture<Void> write) {
        if (write.isDone() && !write.isCompletedExceptionally()) {   // without a store: nothing to wait for
            confirmed(e.queue());
            out.send(peer, new Confirm(e.correlationId(), e.queue(), seq, false));
            return;
        }
        pendingConfirms++;
        if (write != owedWrite) {   // the first append of a store command: one hand-over for all of them
            owedWrite = write;
            owed = new ArrayList<>();
            List<Owed> confirms = owed;
            write.whenComplete((ignored, error) -> {   // on the store's confirmation thread: hand over, wake the loop
                stored.add(new Stored(confirms, error));
                wake.run();
            });
        }
        owed.add(new Owed(peer, e.correlationId(), e.queue(), seq));
    }

    /**
     * End of a loop pass: this pass's store writes go to the store as one command. Its confirms are owed from
     * now on; {@link #onStored} sends them once it is stored.
     */
    void flush() {
        if (journal != null) {
            journal.flush();
        }
    }

    /** Sends the CONFIRM (or 503) of every append the store finished since the last pass. True if any. */
    boolean onStored() {
        boolean any = false;
        for (Stored s; (s = stored.poll()) != null; ) {
            any = true;
            for (Owed o : s.confirms()) {
                pendingConfirms--;
                if (s.error() == null) {
                    confirmed(o.queue());
                    out.send(o.peer(), new Confirm(o.correlationId(), o.queue(), o.seq(), false));
                } else {
                    refusedUnstored++;
                    out.send(o.peer(), new ErrorReply(o.correlationId(), ErrorCode.UNAVAILABLE, "enqueue to '"
                            + o.queue() + "' not confirmed: the store did not take it (" + rootMessage(s.error())
                            + ")"));
                }
            }
        }
        return any;
    }

    void onConsume(PeerId peer, Consume c) {
        ConsumerKey key = new ConsumerKey(peer, c.consumerId());
        if (draining) {
            out.send(peer, new Cancelled(c.consumerId(), SHUTTING_DOWN));
            return;
        }
        String attached = consumers.get(key);
        if (attached != null && !attached.equals(c.queue())) {
            out.send(peer, new Cancelled(c.consumerId(), "consumer id in use on another queue"));
            return;
        }
        out.send(peer, new Consuming(c.consumerId(), c.queue()));   // before the core's first DELIVER
        if (!core.attach(key, c.queue(), c.prefetch())) {
            out.send(peer, new Cancelled(c.consumerId(), "consumer id in use on another queue"));
            return;
        }
        consumers.put(key, c.queue());
        afterCore();
    }

    void onAck(PeerId peer, Ack a) {
        ConsumerKey key = new ConsumerKey(peer, a.consumerId());
        core.ack(key, a.tags(), tag -> unknownTag(key, tag, "ack"));
        afterCore();
    }

    void onNack(PeerId peer, Nack n) {
        ConsumerKey key = new ConsumerKey(peer, n.consumerId());
        if (!core.nack(key, n.tag(), n.requeue(), Duration.ofMillis(Integer.toUnsignedLong(n.delayMillis())))) {
            unknownTag(key, n.tag(), "nack");
        }
        afterCore();
    }

    void onCancel(PeerId peer, Cancel c) {
        ConsumerKey key = new ConsumerKey(peer, c.consumerId());
        if (consumers.remove(key) == null) {
            out.send(peer, new Cancelled(c.consumerId(), "no such consumer"));
            return;
        }
        core.detach(key);
        out.send(peer, new Cancelled(c.consumerId(), "cancelled"));
        afterCore();
    }

    void onAdmin(PeerId peer, QueueAdmin a) {
        Set<String> known = core.status().queues().stream().map(QueueStatus.QueueView::name)
                .collect(Collectors.toSet());
        if (!known.contains(a.queue())) {
            out.send(peer, new ErrorReply(a.correlationId(), ErrorCode.PROTOCOL, "queue '" + a.queue()
                    + "' does not exist"));
            return;
        }
        int count = Integer.toUnsignedLong(a.count()) > Integer.MAX_VALUE ? Integer.MAX_VALUE : a.count();
        QueueAdminReply reply = switch (a.operation()) {
            case LIST -> {
                List<ListedMessage> listed = new ArrayList<>();
                for (MessageSnapshot m : core.list(a.queue(), count == 0 ? LIST_DEFAULT : Math.min(count, LIST_MAX))) {
                    listed.add(new ListedMessage(m.seq(), m.deliveries(), m.enqueuedAtMillis(), m.headers(),
                            Bodies.join(m.body())));
                }
                yield new QueueAdminReply(a.correlationId(), listed.size(), listed);
            }
            case REPLAY -> new QueueAdminReply(a.correlationId(),
                    core.replay(a.queue(), count == 0 ? Integer.MAX_VALUE : count), List.of());
            case PURGE -> new QueueAdminReply(a.correlationId(), core.purge(a.queue()), List.of());
        };
        out.send(peer, reply);
        afterCore();
    }

    /** The peer is gone: its consumers are detached, their unacked deliveries go back to their queues. */
    void onPeerGone(PeerId peer) {
        consumers.keySet().removeIf(key -> key.peer().equals(peer));
        core.onPeerGone(peer);
    }

    /** Ack timeouts, nack delays, expiries, blocked sends; the metrics snapshot. Returns when to run next. */
    long onTimers(long now) {
        long next = core.onTimers(now);
        afterCore();
        if (now >= nextMetricsAt) {
            nextMetricsAt = now + METRICS_EVERY_MILLIS;
            metrics.publish(core.status(), confirmed);
        }
        return Math.min(next, nextMetricsAt);
    }

    /**
     * The broker drains: new enqueues and consumers are refused, each consumer is told CANCELLED
     * {@value #SHUTTING_DOWN} and detached (its unacked messages stay in the store, delivered again after the
     * restart). Confirms still owed are sent as the store finishes them.
     */
    void startDrain() {
        draining = true;
        cancelAll();
    }

    /** True when no confirm is owed: the drain may end. */
    boolean isIdle() {
        return pendingConfirms == 0;
    }

    /** The loop is closing (after a drain, or at once): every consumer left is told CANCELLED. */
    void onClose() {
        draining = true;
        onStored();
        cancelAll();
        flush();
    }

    /** The {@code queues} of the status document. */
    List<Map<String, Object>> statusQueues() {
        List<Map<String, Object>> queues = new ArrayList<>();
        for (QueueStatus.QueueView q : core.status().queues()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", q.name());
            m.put("depth", q.depth());
            m.put("unacked", q.unacked());
            m.put("consumers", q.consumers());
            m.put("enqueued", q.enqueued());
            m.put("confirmed", confirmed.getOrDefault(q.name(), 0L));
            m.put("acked", q.acked());
            m.put("redelivered", q.redelivered());
            m.put("deadLettered", q.deadLettered());
            m.put("expired", q.expired());
            m.put("refused", q.refused());
            m.put("duplicates", q.duplicates());
            m.put("dedupIds", q.dedupIds());
            m.put("dedupEvicted", q.dedupEvicted());
            QueueSettings policy = settings.of(q.name());
            m.put("deadLetterQueue", policy.deadLetterQueueOf(q.name()));
            queues.add(m);
        }
        return queues;
    }

    /** The {@code store} of the status document, or null without a store. */
    Map<String, Object> statusStore(StoreConfig config) {
        if (journal == null) {
            return null;
        }
        StoreStatus store = journal.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("directory", store.directory().toAbsolutePath().toString());
        m.put("syncPolicy", config.syncPolicy().name().toLowerCase(Locale.ROOT));
        m.put("pendingWrites", store.pendingWrites());
        m.put("writeFailures", store.writeFailures());
        m.put("failed", store.failed());
        return m;
    }

    private void cancelAll() {
        for (ConsumerKey key : new ArrayList<>(consumers.keySet())) {
            out.send(key.peer(), new Cancelled(key.id(), SHUTTING_DOWN));
            core.detach(key);
        }
        consumers.clear();
    }

    /** Detaches the consumers of peers the sink found gone, rather than retrying sends to them. */
    private void afterCore() {
        for (PeerId gone : sink.takeGone()) {
            LOG.debug("consumer peer unroutable, detaching its consumers peer={}", gone);
            onPeerGone(gone);
        }
    }

    private void confirmed(String queue) {
        confirmed.merge(queue, 1L, Long::sum);
    }

    private void unknownTag(ConsumerKey key, long tag, String what) {
        unknownTags++;
        LOG.debug("{} of an unknown tag ignored consumer={} tag={} unknownTags={}", what, key, tag, unknownTags);
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
