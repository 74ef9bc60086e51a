package io.courier.broker.queue;

import io.courier.protocol.Headers;
import java.util.Comparator;

/**
 * One message inside a queue, from arrival until it is acked, dead-lettered, dropped or replayed out.
 * Mutable, confined to the broker loop thread. While it sits in a sorted index, the fields that index orders by
 * do not change.
 */
final class MessageEntry {
    /** Ack-timeout index order: deadline, then the delivery tag (unique). */
    static final Comparator<MessageEntry> BY_ACK_DEADLINE = Comparator.<MessageEntry>comparingLong(m -> m.ackDeadline)
            .thenComparingLong(m -> m.tag);
    /** Nack-delay index order: when it is ready again, then the core-wide id (unique). */
    static final Comparator<MessageEntry> BY_READY_AT = Comparator.<MessageEntry>comparingLong(m -> m.readyAt)
            .thenComparingLong(m -> m.id);
    /** Expiry index order: expiry time, then the core-wide id (unique). */
    static final Comparator<MessageEntry> BY_EXPIRY = Comparator.<MessageEntry>comparingLong(m -> m.expiresAtMillis)
            .thenComparingLong(m -> m.id);

    final QueueEntry queue;
    final long id;
    final long seq;
    final String producerId;
    final Headers headers;
    final byte[][] body;
    final long bytes;
    final long enqueuedAtMillis;
    final long expiresAtMillis;
    final int priorDeliveries;
    int deliveries;
    DeliveryState state = DeliveryState.READY;
    /** In its queue's ready line among the never-delivered (see {@link ReadyQueue}). */
    boolean inFresh;
    /** While IN_FLIGHT: the delivery's tag, its consumer and when it times out (loop millis). */
    long tag;
    ConsumerEntry consumer;
    long ackDeadline;
    /** While DELAYED: when it is ready again (loop millis). */
    long readyAt;
    /** The consumer that last let it go unacked, to be passed over next time if another has credit. */
    ConsumerEntry avoid;

    MessageEntry(QueueEntry queue, long id, long seq, String producerId, Headers headers, byte[][] body,
                 long enqueuedAtMillis, long expiresAtMillis, int deliveries, int priorDeliveries) {
        this.queue = queue;
        this.id = id;
        this.seq = seq;
        this.producerId = producerId;
        this.headers = headers;
        this.body = body;
        this.bytes = sizeOf(headers, body);
        this.enqueuedAtMillis = enqueuedAtMillis;
        this.expiresAtMillis = expiresAtMillis;
        this.deliveries = deliveries;
        this.priorDeliveries = priorDeliveries;
    }

    /** Deliveries made by this queue, the ones its maxDeliver counts. */
    int deliveriesHere() {
        return deliveries - priorDeliveries;
    }

    boolean expires() {
        return expiresAtMillis > 0;
    }

    MessageSnapshot snapshot() {
        return new MessageSnapshot(queue.name, seq, producerId, headers, body, enqueuedAtMillis, expiresAtMillis,
                deliveries, priorDeliveries, state);
    }

    /** What a message counts against maxBytes: its body frames plus its encoded headers. */
    static long sizeOf(Headers headers, byte[][] body) {
        long size = headers.isEmpty() ? 0 : headers.encode().length;
        for (byte[] frame : body) {
            size += frame.length;
        }
        return size;
    }
}
