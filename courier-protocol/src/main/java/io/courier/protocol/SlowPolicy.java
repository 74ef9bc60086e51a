package io.courier.protocol;

/**
 * What the broker does when a subscriber's connection cannot take more messages. Either way the publisher and
 * the other subscribers are never held back. Chosen per subscription ({@code SubscribeOptions.withPolicy} in the
 * client), sent in SUBSCRIBE as the byte {@link #code()} (docs/protocol.md), and applied by the broker. Thread-safe
 * (an enum).
 */
public enum SlowPolicy {
    /**
     * Drop and report (the default): the broker pauses this subscription and catches it up from the retained log
     * as the connection drains; what left the log in the meantime arrives as a loss ({@code StreamLoss} in the
     * client, LOSS on the wire).
     */
    LAG,
    /**
     * The first message that cannot be sent ends the subscription with UNSUBSCRIBED; the client's listener's
     * {@code onClosed} says why.
     */
    DISCONNECT;

    /** The SUBSCRIBE policy byte: {@code 0} for LAG, {@code 1} for DISCONNECT. */
    public byte code() {
        return (byte) ordinal();
    }
}
