package io.courier.broker.queue;

/**
 * Where the queue core sends deliveries; the transport implements it over the frontend ROUTER. Called on the
 * broker loop thread only, never blocks, and must not call back into the core. {@code false} means the consumer
 * cannot take the message now (its peer's queue is full, or it is unroutable): nothing was sent, the message
 * stays ready, and the consumer is tried again at the next {@link QueueCore#onTimers} pass.
 */
public interface DeliverySink {
    boolean deliver(ConsumerKey consumer, Delivery delivery);
}
