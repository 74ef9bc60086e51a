package io.courier.client;

/**
 * Where a new subscription starts reading each matching stream (see {@link SubscribeOptions}). Thread-safe (an
 * enum).
 */
public enum StreamStart {
    /** Only messages published after the broker took the subscription. */
    NOW,
    /** Every retained message of every matching stream, oldest first, then live ones. */
    FIRST,
    /** The newest retained message of each matching stream (a last-value cache), then live ones. */
    LAST,
    /** Per matching stream, messages with a sequence number at or above the start value. */
    SEQ,
    /** Per matching stream, messages the broker received at or after the start value (epoch milliseconds). */
    TIME
}
