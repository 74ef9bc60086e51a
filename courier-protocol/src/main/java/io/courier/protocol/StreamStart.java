package io.courier.protocol;

/**
 * Where a new subscription starts reading each matching stream (the SUBSCRIBE start byte is {@link #code()}).
 * Every start then goes on with live messages. Thread-safe (an enum).
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
    TIME;

    /** The byte that stands for this start in a SUBSCRIBE. */
    public byte code() {
        return (byte) ordinal();
    }

    /** True when the start carries a value (a seq or epoch millis). */
    public boolean hasValue() {
        return this == SEQ || this == TIME;
    }
}
