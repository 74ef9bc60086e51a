package io.courier.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * A message as {@link Client#listQueue} shows it, without taking it from the queue. Immutable by contract (the body
 * array is not copied; do not change it).
 *
 * @param seq        its sequence number in the queue
 * @param deliveries how many times it was handed out so far
 * @param enqueuedAt when the broker stored it
 * @param headers    its headers; a dead letter carries {@value #DEAD_LETTER_REASON} and {@value #ORIGINAL_QUEUE}
 * @param body       its body
 */
public record QueuedMessage(long seq, int deliveries, Instant enqueuedAt, Map<String, String> headers, byte[] body) {
    /** The header a dead letter carries: why it was dead-lettered ({@code rejected}, {@code max deliveries...}). */
    public static final String DEAD_LETTER_REASON = "x-dead-letter-reason";
    /** The header a dead letter carries: the queue it came from. */
    public static final String ORIGINAL_QUEUE = "x-original-queue";

    public QueuedMessage {
        headers = Map.copyOf(headers);
    }

    public String header(String key) {
        return headers.get(key);
    }

    /** The body decoded as UTF-8. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueuedMessage m && seq == m.seq && deliveries == m.deliveries
                && enqueuedAt.equals(m.enqueuedAt) && headers.equals(m.headers) && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "QueuedMessage[seq=" + seq + ", deliveries=" + deliveries + ", enqueuedAt=" + enqueuedAt
                + ", headers=" + headers + ", bodyBytes=" + body.length + "]";
    }
}
