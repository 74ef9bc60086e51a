package io.courier.client;

/**
 * Handles the deliveries of one {@link QueueConsumer}.
 *
 * <p><b>Threading.</b> Called on the client's callback executor, never on its I/O thread, one call at a time per
 * consumer and in the order the broker delivered. Handlers of different consumers may run in parallel.
 *
 * <p><b>Settling by default.</b> When {@link #onDelivery} returns without settling the delivery, the client acks
 * it; when it throws, the client logs the exception and nacks the delivery with requeue, so it comes again (after
 * the queue's {@code maxDeliver} deliveries it is dead-lettered instead). Settle it yourself with
 * {@link QueueDelivery#ack()}, {@link QueueDelivery#nack(java.time.Duration)} or {@link QueueDelivery#reject()} to
 * decide otherwise; the first settle wins. Deliveries of a session that ended before their turn came are skipped:
 * the broker hands them out again.
 */
@FunctionalInterface
public interface QueueHandler {

    /** The next delivery. Return to ack it (unless settled already); throw to nack it with requeue. */
    void onDelivery(QueueDelivery delivery) throws Exception;

    /**
     * The consumer ended without {@link QueueConsumer#close()}: the broker cancelled it (for a reason other than its
     * own shutdown, after which the client consumes again on the next session by itself), or the client was
     * closed ({@code client closed}). Nothing follows. The default does nothing.
     */
    default void onCancelled(String reason) {
    }
}
