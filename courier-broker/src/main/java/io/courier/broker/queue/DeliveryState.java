package io.courier.broker.queue;

/** Where a message held by a queue stands: waiting its turn, waiting out a nack's delay, or with a consumer. */
public enum DeliveryState {
    READY,
    DELAYED,
    IN_FLIGHT
}
