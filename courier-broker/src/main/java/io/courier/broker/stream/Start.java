package io.courier.broker.stream;

/**
 * Where a new subscription starts in each matching stream (the SUBSCRIBE start byte is {@link #ordinal()}):
 * {@code NOW} only what is published from now on; {@code FIRST} every retained message; {@code LAST} the newest
 * retained message (a last-value cache); {@code SEQ} messages with seq &gt;= the start value; {@code TIME}
 * retained messages stamped at or after the start value (epoch millis). All then go on live.
 */
public enum Start {
    NOW, FIRST, LAST, SEQ, TIME
}
