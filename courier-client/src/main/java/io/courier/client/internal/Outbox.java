package io.courier.client.internal;

import io.courier.protocol.codec.NativeMessage;

/** Where a connection core sends messages to the broker. Called only on the connection's I/O thread. */
@FunctionalInterface
interface Outbox {
    /**
     * Queues a message on the current socket without blocking. False when there is no socket (between
     * connections) or its send queue is full; the caller's timers or the next reconnect take it from there.
     */
    boolean send(NativeMessage message);
}
