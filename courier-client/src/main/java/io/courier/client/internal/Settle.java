package io.courier.client.internal;

/**
 * How the application settled one delivery, on its way from any thread to the I/O thread, which sends it only if
 * the delivery's session ({@code session}) is still the current one. Immutable.
 *
 * @param consumerId  the consumer the delivery came to
 * @param session     the connection's session number when it arrived
 * @param tag         the broker's tag of the delivery
 * @param outcome     ack, nack (requeue) or reject (dead-letter)
 * @param delayMillis for a nack, how long before the message is ready again
 */
record Settle(long consumerId, int session, long tag, Outcome outcome, int delayMillis) {
    enum Outcome { ACK, NACK, REJECT }
}
