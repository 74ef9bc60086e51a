package io.courier.client;

/**
 * What the broker does when a subscriber's connection cannot take more messages. Either way the publisher and
 * the other subscribers are never held back. Thread-safe (an enum).
 */
public enum SlowPolicy {
    /**
     * Drop and report (the default): the broker pauses this subscription and catches it up from the retained log
     * as the connection drains; what left the log in the meantime arrives as a {@link StreamLoss}.
     */
    LAG,
    /** The first message that cannot be sent ends the subscription; the listener's {@code onClosed} says why. */
    DISCONNECT
}
