package io.courier.client.internal;

import io.courier.client.internal.PendingOperation.Kind;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.PubAck;
import io.courier.protocol.codec.NativeMessage.PubAckBatch;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.StreamBatches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the publishes of one client connection leave and are confirmed. Confirmed publishes wait in the
 * {@link PendingTable} (deadlines, ERRORs, lost sockets); with a broker that takes batches (its WELCOME says
 * {@code stream-batches=1}) the publishes of one loop pass leave together, through a {@link PublishBatcher} flushed
 * by {@link #onTimers}, and one PUBACK_BATCH confirms them all. Fire-and-forget publishes are sent or dropped
 * (counted), never tracked. Thread-free; confined to the {@code courier-client-N} thread.
 */
final class Publisher {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    private final String role;
    private final Outbox out;
    private final PendingTable table;
    private final PublishBatcher batcher;
    private long dropped;
    private boolean brokerBatches;   // the broker of this session takes PUBLISH_BATCH

    Publisher(Outbox out, PendingTable table) {
        this.role = table.role();
        this.out = out;
        this.table = table;
        this.batcher = new PublishBatcher(out, this::forgetDropped);
    }

    /** Fire-and-forget publishes dropped for want of a connection, room or size. */
    long dropped() {
        return dropped;
    }

    void onPublish(PendingPublish publish) {
        if (!table.admit(publish)) {
            return;
        }
        if (brokerBatches) {
            batcher.add(publish);   // sent at the end of the loop pass (onTimers), with the others of the pass
        } else {
            table.send(publish);   // not sent: the next socket takes it, or the deadline
        }
    }

    void onPublishAndForget(Publish publish) {
        String cause = table.isClosed() ? "closed"
                : publish.body().length > table.brokerMaxMessageBytes() ? "too large" : null;
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

    /** A new socket, before the table sends again what never left: an earlier pass's batch goes first. */
    void onConnected() {
        batcher.flush();
        brokerBatches = false;   // until this session's WELCOME says otherwise
    }

    /** After the table took the broker's max-message-bytes. */
    void onWelcome(Headers properties) {
        brokerBatches = StreamBatches.accepted(properties.get(StreamBatches.PROPERTY));
        batcher.limit(table.brokerMaxMessageBytes());
    }

    /** The socket is gone, before the table fails what it carried: the batch of this pass stays unsent. */
    void onDisconnected() {
        batcher.flush();   // fails: confirmed publishes stay unsent, fire-and-forget ones are dropped
    }

    void onPubAck(PubAck ack) {
        confirm(ack.correlationId(), ack.seq());
    }

    /** PUBACK_BATCH: entry i confirms the publish whose id is the batch's minus i; seq 0 means refused. */
    void onPubAckBatch(PubAckBatch ack) {
        long[] seqs = ack.seqs();
        for (int i = 0; i < seqs.length; i++) {
            long id = ack.correlationId() - i;
            if (seqs[i] > 0) {
                confirm(id, seqs[i]);
            } else {
                PendingOperation publish = table.remove(id, Kind.PUBLISH);
                if (publish != null) {
                    publish.fail(new CourierException(Reason.BACKPRESSURE, publish.operation()
                            + " failed: refused by the broker, which holds the most streams it may"));
                }
            }
        }
    }

    private void confirm(long id, long seq) {
        PendingPublish publish = (PendingPublish) table.answered(id, Kind.PUBLISH);
        if (publish != null) {
            publish.complete(seq);
        }
    }

    /** The end of a loop pass: the publishes it made leave. */
    void onTimers() {
        batcher.flush();
    }

    /** The broker refused this client, or the client closes: what waits in the batch is dropped. */
    void onRefusedOrClosed() {
        batcher.clear();
    }
}
