package io.courier.broker.queue;

import io.courier.protocol.Headers;
import java.util.Objects;

/**
 * A message of one queue as the store kept it, decoded at startup to rebuild the queue ({@link QueueCore#restore}):
 * what was appended, with the latest delivery counts it was told. The store's own record of it, with the payload
 * still encoded, is the store's {@code StoredMessage}. The components mean what they mean in
 * {@link MessageSnapshot}.
 */
public record RestoredMessage(long seq, String producerId, Headers headers, byte[][] body, long enqueuedAtMillis,
                              long expiresAtMillis, int deliveries, int priorDeliveries) {
    public RestoredMessage {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        if (seq < 1) {
            throw new IllegalArgumentException("a stored message's seq must be >= 1 [seq=" + seq + "]");
        }
        if (priorDeliveries < 0 || deliveries < priorDeliveries) {
            throw new IllegalArgumentException("a stored message needs 0 <= priorDeliveries <= deliveries [seq="
                    + seq + ", deliveries=" + deliveries + ", priorDeliveries=" + priorDeliveries + "]");
        }
    }
}
