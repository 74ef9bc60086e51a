package io.courier.client.internal;

import io.courier.client.StreamEvent;
import io.courier.client.StreamLoss;
import io.courier.core.CourierException;

/**
 * What the stream core tells one subscription's handle, and asks of it. Called only on the connection's I/O
 * thread; implementations hand listener calls to the callback executor and never block.
 */
interface StreamSink {
    /** The broker took the subscription (each SUBSCRIBED; only the first matters). */
    void onSubscribed();

    void onEvent(StreamEvent event);

    void onLoss(StreamLoss loss);

    /**
     * The subscription ended other than by the handle's own close: the broker ended it, or the client closed.
     * {@code error} fails the subscribed future if it is still pending.
     */
    void onEnded(String reason, CourierException error);

    /** Room for one more listener call. */
    boolean hasRoom();

    /** Room enough for a paused subscription to go on (well under the limit, so it does not flap). */
    boolean canResume();

    /** True once the application closed the subscription. */
    boolean isClosed();
}
