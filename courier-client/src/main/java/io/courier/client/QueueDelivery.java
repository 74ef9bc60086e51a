package io.courier.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One delivery of a queued message to a {@link QueueConsumer}. Settle it once with {@link #ack()}, {@link #nack()},
 * {@link #nack(Duration)} or {@link #reject()}; only the first of these counts, later calls do nothing. A delivery
 * the handler leaves unsettled is settled for it when the handler returns (ack) or throws (nack with requeue); see
 * {@link QueueHandler}.
 *
 * <p><b>Threading.</b> Thread-safe: settle from any thread, also after the handler returned (a delivery still holds
 * one unit of the consumer's prefetch until it is settled). Settling never blocks: it is queued for the I/O thread,
 * which sends the acks of one pass in one ACK per consumer.
 *
 * <p><b>Sessions.</b> A delivery belongs to the connection's session it arrived on. When that session ends
 * (reconnect, broker restart) the broker gives its unsettled deliveries to consumers again, so settling one of them
 * afterwards does nothing (it is dropped by the client) and the message comes again: at-least-once.
 */
public interface QueueDelivery {

    /** The queue the message came from. */
    String queue();

    /** The message's sequence number in its queue. */
    long seq();

    /** The broker's name for this delivery (not the message); unique, never reused. */
    long tag();

    /** How many times the message has been handed out, this one included: 1 is a first delivery. */
    int deliveries();

    /** True when the message was handed out before ({@code deliveries() > 1}). */
    default boolean redelivered() {
        return deliveries() > 1;
    }

    /** When the broker stored the message. */
    Instant enqueuedAt();

    /** The headers as enqueued; a dead letter also has {@code x-dead-letter-reason} and {@code x-original-queue}. */
    Map<String, String> headers();

    default String header(String key) {
        return headers().get(key);
    }

    /** The body; do not change the array. */
    byte[] body();

    /** The body decoded as UTF-8. */
    default String bodyAsString() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** Done with: the broker removes the message. */
    void ack();

    /** Failed: the message goes back to its place in the queue at once (dead-lettered after maxDeliver). */
    void nack();

    /** Failed: the message goes back to the queue, ready again after {@code delay} (up to 24 days). */
    void nack(Duration delay);

    /** Refused for good: the message goes to the dead-letter queue with reason {@code rejected}. */
    void reject();

    /** True once one of the settling methods was called. */
    boolean isSettled();
}
