package io.courier.broker.stream;

/**
 * What the broker does when a subscriber's queue is full (the SUBSCRIBE policy byte is {@link #ordinal()}):
 * {@code LAG} remembers where the subscription is and catches up from the retained log later, reporting with
 * LOSS what left the log meanwhile; {@code DISCONNECT} cancels the subscription with UNSUBSCRIBED.
 */
public enum SlowPolicy {
    LAG, DISCONNECT
}
