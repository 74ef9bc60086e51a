package io.courier.broker.queue;

import java.util.concurrent.CompletableFuture;

/**
 * The intents the queue core records for the store: the wiring implements it by handing each one to the store's
 * writer thread, which applies them in call order and group-commits. The core never waits for them and never
 * reads them back, except through {@link QueueCore#restore} at startup; it is correct whatever the store does
 * with them later; only an append answers, with a future the core passes on to whoever confirms the producer.
 * Called on the broker loop thread only; must not throw and must not call back into the core. Moves
 * ({@link #deadLetter}, {@link #replay}) must be applied atomically: the message is never in both queues, nor in
 * neither, after a crash.
 */
public interface QueueJournal {
    /** A journal that records nothing, for a broker without a store. */
    QueueJournal NONE = new QueueJournal() {
        @Override
        public CompletableFuture<Void> append(MessageSnapshot message) {
            return CompletableFuture.completedFuture(null);   // nothing to wait for: confirm at once
        }

        @Override
        public void ack(String queue, long seq) {
        }

        @Override
        public void updateDelivery(String queue, long seq, int deliveries, DeliveryState state) {
        }

        @Override
        public void deadLetter(String queue, long seq, MessageSnapshot deadLetter) {
        }

        @Override
        public void replay(String deadLetterQueue, long seq, MessageSnapshot replayed) {
        }
    };

    /**
     * A producer's message was accepted: persist it. Returns a future that completes once it is durable (on any
     * thread; exceptionally when the store did not take it): the producer is confirmed then.
     */
    CompletableFuture<Void> append(MessageSnapshot message);

    /** A consumer acked message {@code seq}: remove it. */
    void ack(String queue, long seq);

    /** Message {@code seq} was handed out ({@code IN_FLIGHT}), came back ({@code READY}) or waits ({@code DELAYED}). */
    void updateDelivery(String queue, long seq, int deliveries, DeliveryState state);

    /** Message {@code seq} of {@code queue} moved to a dead-letter queue as {@code deadLetter} (which names it). */
    void deadLetter(String queue, long seq, MessageSnapshot deadLetter);

    /** Message {@code seq} of a dead-letter queue moved back to its original queue as {@code replayed}. */
    void replay(String deadLetterQueue, long seq, MessageSnapshot replayed);

    /**
     * Message {@code seq} was discarded by policy: expired with the DROP policy, purged, or dead-lettered by a queue
     * that is its own dead-letter queue. The store removes it the way it removes an acked one.
     */
    default void drop(String queue, long seq, String reason) {
        ack(queue, seq);
    }
}
