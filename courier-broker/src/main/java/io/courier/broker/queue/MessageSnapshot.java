package io.courier.broker.queue;

import io.courier.protocol.Headers;

/**
 * A message as a queue holds it at one instant: what the journal is asked to append, and what
 * {@link QueueCore#list} shows. Immutable by contract: nobody changes the body arrays.
 *
 * @param queue            the queue holding it
 * @param seq              its seq in that queue: unique there, increasing in arrival order
 * @param producerId       the producer's message id (duplicate detection), or null
 * @param enqueuedAtMillis when it arrived in this queue, epoch millis
 * @param expiresAtMillis  when it expires if still waiting, epoch millis; 0 for never
 * @param deliveries       how many times it was handed to a consumer, in this queue and before
 * @param priorDeliveries  how many of those were before it came to this queue (a dead letter's count in the queue
 *                         it came from); the queue's maxDeliver counts only deliveries beyond them
 * @param state            where it stands now
 */
public record MessageSnapshot(String queue, long seq, String producerId, Headers headers, byte[][] body,
                              long enqueuedAtMillis, long expiresAtMillis, int deliveries, int priorDeliveries,
                              DeliveryState state) {
    /** The same message as the store gives it back to {@link QueueCore#restore}. */
    public RestoredMessage restored() {
        return new RestoredMessage(seq, producerId, headers, body, enqueuedAtMillis, expiresAtMillis, deliveries,
                priorDeliveries);
    }
}
