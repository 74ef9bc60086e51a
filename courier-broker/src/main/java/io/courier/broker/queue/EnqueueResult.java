package io.courier.broker.queue;

/**
 * What {@link QueueCore#enqueue} did with a message. {@code seq} is the message's seq in its queue for
 * ACCEPTED, the original's for DUPLICATE, 0 for FULL; {@code detail} says why for FULL, else it is empty.
 */
public record EnqueueResult(Outcome outcome, long seq, String detail) {
    /** The three answers to a producer. */
    public enum Outcome {
        /** Now in the queue; confirm it to the producer once the journal's append is durable. */
        ACCEPTED,
        /** Its producer message id was seen within the duplicate window: nothing changed. */
        DUPLICATE,
        /** Refused by the queue's limits; nothing already in the queue was touched. */
        FULL
    }

    static EnqueueResult accepted(long seq) {
        return new EnqueueResult(Outcome.ACCEPTED, seq, "");
    }

    static EnqueueResult duplicate(long seq) {
        return new EnqueueResult(Outcome.DUPLICATE, seq, "");
    }

    static EnqueueResult full(String detail) {
        return new EnqueueResult(Outcome.FULL, 0, detail);
    }
}
