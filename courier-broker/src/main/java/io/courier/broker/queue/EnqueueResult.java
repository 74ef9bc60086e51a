package io.courier.broker.queue;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link QueueCore#enqueue} did with a message. {@code seq} is the message's seq in its queue for
 * ACCEPTED, the original's for DUPLICATE, 0 for FULL; {@code detail} says why for FULL, else it is empty.
 * {@code stored} is, for ACCEPTED, the future the journal returned for the append: confirm the producer once it
 * completes (exceptionally when the store did not take the message); null for DUPLICATE and FULL.
 */
public record EnqueueResult(Outcome outcome, long seq, String detail, CompletableFuture<Void> stored) {
    /** The three answers to a producer. */
    public enum Outcome {
        /** Now in the queue; confirm it to the producer once {@code stored} completes. */
        ACCEPTED,
        /** Its producer message id was seen within the duplicate window: nothing changed. */
        DUPLICATE,
        /** Refused by the queue's limits; nothing already in the queue was touched. */
        FULL
    }

    static EnqueueResult accepted(long seq, CompletableFuture<Void> stored) {
        return new EnqueueResult(Outcome.ACCEPTED, seq, "", Objects.requireNonNull(stored, "stored"));
    }

    static EnqueueResult duplicate(long seq) {
        return new EnqueueResult(Outcome.DUPLICATE, seq, "", null);
    }

    static EnqueueResult full(String detail) {
        return new EnqueueResult(Outcome.FULL, 0, detail, null);
    }
}
