package io.courier.client.internal;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.core.Durations;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.PubAck;
import io.courier.protocol.codec.NativeMessage.PubAckBatch;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.StreamBatches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes of one client connection: correlation ids (negative, counting down from -1, so that they never meet
 * the requests' ids, which count up from 1), PUBACK and ERROR matching, deadlines, and fire-and-forget sends.
 * A publish is sent at most once: one that was not sent yet waits for the next socket; one sent on a socket that
 * was lost fails with UNAVAILABLE, since the broker may have taken it. With a broker that takes batches (its
 * WELCOME says {@code stream-batches=1}) the publishes of one loop pass leave together, through a
 * {@link PublishBatcher}, flushed by {@link #onTimers}. Thread-free; confined to the
 * {@code courier-client-N} thread.
 */
final class PublishTracker {
    private static final Logger LOG = LoggerFactory.getLogger(PublishTracker.class);
    private static final int COMPACT_SLACK = 1024;

    private final String role;
    private final Outbox out;
    private final LongSupplier clock;
    private final InFlightWindow inFlight;
    private final Map<Long, PendingPublish> pending = new LinkedHashMap<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
    private long nextCorrelationId = -1;
    private long brokerMaxMessageBytes = Long.MAX_VALUE;
    private long dropped;
    private boolean closed;
    private String refused;   // why the broker refused this client, until it accepts it again; null when not
    private final PublishBatcher batcher;
    private boolean brokerBatches;   // the broker of this session takes PUBLISH_BATCH

    private record Deadline(long at, long correlationId) implements Comparable<Deadline> {
        @Override
        public int compareTo(Deadline other) {
            return Long.compare(at, other.at);
        }
    }

    /** {@code inFlight} is shared with the handle, which counts a publish in before queuing it. */
    PublishTracker(String role, Outbox out, LongSupplier clock, InFlightWindow inFlight) {
        this.role = role;
        this.out = out;
        this.clock = clock;
        this.inFlight = inFlight;
        this.batcher = new PublishBatcher(out, this::forgetDropped);
    }

    /** True for the correlation ids of publishes. */
    static boolean owns(long correlationId) {
        return correlationId < 0;
    }

    int pendingCount() {
        return pending.size();
    }

    /** Fire-and-forget publishes dropped for want of a connection, room or size. */
    long dropped() {
        return dropped;
    }

    void onPublish(PendingPublish publish) {
        if (closed) {
            finish(publish, new CourierException(Reason.CLOSED, publish.operation() + " failed: client is closed"));
            return;
        }
        if (refused != null) {
            finish(publish, new CourierException(Reason.REFUSED, publish.operation() + " failed: " + refused));
            return;
        }
        if (publish.bodyBytes() > brokerMaxMessageBytes) {
            finish(publish, new CourierException(Reason.TOO_LARGE, publish.operation() + " failed: body of "
                    + publish.bodyBytes() + " bytes is over the broker's max-message-bytes " + brokerMaxMessageBytes));
            return;
        }
        long id = nextCorrelationId--;
        publish.begin(id, clock.getAsLong());
        pending.put(id, publish);
        deadlines.add(new Deadline(publish.deadline(), id));
        if (brokerBatches) {
            batcher.add(publish);   // sent at the end of the loop pass (onTimers), with the others of the pass
        } else {
            publish.sent(out.send(publish.toWire()));   // not sent: the next socket takes it, or the deadline
        }
    }

    void onPublishAndForget(Publish publish) {
        String cause = closed ? "closed" : publish.body().length > brokerMaxMessageBytes ? "too large" : null;
        if (cause == null && brokerBatches) {
            batcher.addForget(publish);
            return;
        }
        if (cause == null && out.send(publish)) {
            return;
        }
        forgetDropped(1, publish.topic(), publish.body().length, cause);
    }

    private void forgetDropped(int count) {
        forgetDropped(count, "", 0, null);
    }

    private void forgetDropped(int count, String topic, int bodyBytes, String cause) {
        boolean first = dropped == 0;
        dropped += count;
        if (first) {
            LOG.warn("publish without confirmation dropped conn={} topic={} bodyBytes={} cause={}", role,
                    topic, bodyBytes, cause == null ? "no connection or send queue full" : cause);
        } else {
            LOG.debug("publish without confirmation dropped conn={} dropped={}", role, dropped);
        }
    }

    /** A new socket: send the publishes that never left. */
    void onConnected() {
        batcher.flush();   // what an earlier pass left goes first, in order
        brokerBatches = false;   // until this session's WELCOME says otherwise
        for (PendingPublish publish : pending.values()) {
            if (!publish.isSent()) {
                publish.sent(out.send(publish.toWire()));
            }
        }
    }

    void onWelcome(Headers properties) {
        brokerBatches = StreamBatches.accepted(properties.get(StreamBatches.PROPERTY));
        String value = properties.get("max-message-bytes");
        if (value != null) {
            try {
                long limit = Long.parseLong(value);
                brokerMaxMessageBytes = limit > 0 ? limit : Long.MAX_VALUE;
                batcher.limit(brokerMaxMessageBytes);
            } catch (NumberFormatException e) {
                LOG.debug("welcome property ignored conn={} key=max-message-bytes value={}", role, value);
            }
        }
    }

    /** The socket is gone, and with it whatever it had not delivered: sent publishes have an unknown outcome. */
    void onDisconnected() {
        batcher.flush();   // the socket is gone: these stay unsent (confirmed) or are dropped (fire and forget)
        Iterator<PendingPublish> it = pending.values().iterator();
        while (it.hasNext()) {
            PendingPublish publish = it.next();
            if (publish.isSent()) {
                it.remove();
                finish(publish, new CourierException(Reason.UNAVAILABLE, publish.operation()
                        + " failed: connection lost before the broker confirmed; it may or may not be published"));
            }
        }
    }

    boolean onPubAck(PubAck ack) {
        PendingPublish publish = pending.remove(ack.correlationId());
        if (publish == null) {
            LOG.trace("late puback ignored conn={} id={}", role, ack.correlationId());
            return true;
        }
        inFlight.release();
        publish.complete(ack.seq());
        return true;
    }

    /** PUBACK_BATCH: entry i confirms the publish whose id is the batch's minus i; seq 0 means refused. */
    void onPubAckBatch(PubAckBatch ack) {
        long[] seqs = ack.seqs();
        for (int i = 0; i < seqs.length; i++) {
            long id = ack.correlationId() - i;
            if (seqs[i] > 0) {
                onPubAck(new PubAck(id, "", seqs[i]));
            } else {
                PendingPublish publish = pending.remove(id);
                if (publish != null) {
                    finish(publish, new CourierException(Reason.BACKPRESSURE, publish.operation()
                            + " failed: refused by the broker, which holds the most streams it may"));
                }
            }
        }
    }

    /**
     * An ERROR whose correlation id is a publish's (see {@link #owns}); for a PUBLISH_BATCH it is its first
     * publish's, and every publish of the batch fails.
     */
    void onError(ErrorReply error) {
        PendingPublish head = pending.get(error.correlationId());
        if (head == null) {
            LOG.trace("late publish error ignored conn={} id={} code={}", role, error.correlationId(),
                    error.code().code());
            return;
        }
        for (int i = 0; i < head.batchSize(); i++) {
            PendingPublish publish = pending.remove(error.correlationId() - i);
            if (publish != null) {
                finish(publish, new CourierException(error.code().reason(), publish.operation() + " failed: "
                        + error.reason() + " (code " + error.code().code() + ")"));
            }
        }
    }

    long onTimers(long now) {
        batcher.flush();
        while (!deadlines.isEmpty() && deadlines.peek().at() <= now) {
            PendingPublish publish = pending.remove(deadlines.poll().correlationId());
            if (publish != null) {
                finish(publish, new CourierException(Reason.TIMEOUT, publish.operation() + " timed out after "
                        + Durations.format(Duration.ofMillis(publish.timeoutMillis()))));
            }
        }
        if (deadlines.size() > 2 * pending.size() + COMPACT_SLACK) {
            deadlines.clear();
            pending.values().forEach(p -> deadlines.add(new Deadline(p.deadline(), p.correlationId())));
        }
        return deadlines.isEmpty() ? Long.MAX_VALUE : deadlines.peek().at();
    }

    /** The broker refused this client ({@code why} says so, naming the broker): every pending publish fails. */
    void onRefused(String why) {
        refused = why;
        batcher.clear();
        List<PendingPublish> left = new ArrayList<>(pending.values());
        pending.clear();
        deadlines.clear();
        for (PendingPublish publish : left) {
            finish(publish, new CourierException(Reason.REFUSED, publish.operation() + " failed: " + why));
        }
    }

    /** The broker took this client after all: publishes go out again. */
    void onAccepted() {
        refused = null;
    }

    void onClose() {
        closed = true;
        batcher.clear();
        List<PendingPublish> left = new ArrayList<>(pending.values());
        pending.clear();
        deadlines.clear();
        for (PendingPublish publish : left) {
            finish(publish, new CourierException(Reason.CLOSED, publish.operation() + " failed: client closed"));
        }
    }

    private void finish(PendingPublish publish, CourierException error) {
        inFlight.release();
        publish.fail(error);
    }
}
