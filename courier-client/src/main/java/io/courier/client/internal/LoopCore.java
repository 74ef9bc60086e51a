package io.courier.client.internal;

import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;

/**
 * The protocol logic of one connection, driven by its {@link ConnectionLoop}. Implementations are thread-free
 * and confined to the connection's I/O thread; unit tests drive them directly with a manual clock.
 */
interface LoopCore {
    /** A new socket is open and HELLO is queued: register, resend what is owed. */
    void onConnected();

    /** The broker's WELCOME properties ({@code heartbeat-ms}, {@code max-message-bytes}, ...). */
    default void onWelcome(Headers properties) {
    }

    /** A message from the broker other than the session commands WELCOME, HEARTBEAT and DISCONNECT. */
    void onMessage(NativeMessage message);

    /** The socket was closed: the broker went silent or said DISCONNECT. A new one follows after a backoff. */
    default void onDisconnected() {
    }

    /**
     * The broker refused this connection at the security handshake (authentication failed, wrong server key, or
     * a security mismatch); {@code why} reads {@code refused by the broker at tcp://...: authentication failed}.
     * Pending work fails with REFUSED, and new work too until {@link #onAccepted()}.
     */
    default void onRefused(String why) {
    }

    /** The broker answered on this connection: any earlier refusal is over. */
    default void onAccepted() {
    }

    /** Runs the timers due at {@code now}; returns when they next need to run, or {@code Long.MAX_VALUE}. */
    long onTimers(long now);

    /** A stop was asked; true once the core is ready to let the loop end. Called on every pass until true. */
    default boolean readyToStop(long now) {
        return true;
    }

    /** The last message to send before the socket closes for good, or null for none. */
    default NativeMessage goodbye() {
        return null;
    }

    /** The loop is ending: fail or drop everything pending. Later commands must find the core closed. */
    void onClose();
}
