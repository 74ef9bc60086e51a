package io.courier.broker.queue;

import io.courier.protocol.Headers;

/**
 * One message handed to a consumer. {@code tag} names this delivery (not the message) in ack and nack, and is
 * never reused; {@code deliveries} counts this one, so 1 is a first delivery. Immutable by contract: nobody
 * changes the body arrays.
 */
public record Delivery(String queue, long tag, long seq, Headers headers, byte[][] body, int deliveries,
                       long enqueuedAtMillis) {
    /** True when the message was handed out before (to this consumer or another). */
    public boolean redelivered() {
        return deliveries > 1;
    }
}
