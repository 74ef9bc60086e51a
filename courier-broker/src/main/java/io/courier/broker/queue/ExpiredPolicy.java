package io.courier.broker.queue;

/** What becomes of a ready message whose time to live has passed. */
public enum ExpiredPolicy {
    /** Moved to the queue's dead-letter queue with reason {@code expired}. */
    DEAD_LETTER,
    /** Discarded (the journal is told to drop it). */
    DROP
}
