package io.courier.broker.stream;

import io.courier.broker.peer.PeerId;
import java.util.Map;

/**
 * Where the streams core sends what subscribers get; the transport implements it over the frontend ROUTER.
 * Called on the broker loop thread only. Sends never block: {@code false} means the peer's queue is full now
 * (or the peer is unroutable) and nothing was sent; the core then lags or cancels the subscription by its policy.
 * Implementations must not call back into the core. A sink may batch: it accepts events ({@code true}) and sends
 * them later; what such a later send could not deliver it reports back with {@link StreamCore#onUndelivered},
 * outside of any call from the core.
 */
public interface EventSink {
    /** EVENT: one message for subscription {@code subscriptionId} of {@code peer}. */
    boolean event(PeerId peer, long subscriptionId, StreamMessage message);

    /**
     * EVENT answering a REPLAY (or catching up one): as {@link #event}, told apart so that a sink that batches
     * can report it undelivered as a REPLAY part ({@link StreamCore#onUndelivered}).
     */
    default boolean replayEvent(PeerId peer, long subscriptionId, StreamMessage message) {
        return event(peer, subscriptionId, message);
    }

    /** LOSS: messages {@code fromSeq} to {@code toSeq} (inclusive) of {@code topic} will never come. */
    boolean loss(PeerId peer, long subscriptionId, String topic, long fromSeq, long toSeq, String reason);

    /** SUBSCRIBED: the subscription is open; {@code heads} maps each matching stream to its newest seq. */
    void subscribed(PeerId peer, long subscriptionId, Map<String, Long> heads);

    /** UNSUBSCRIBED: the subscription is closed, by the client's UNSUBSCRIBE or by the broker. */
    void unsubscribed(PeerId peer, long subscriptionId, String reason);

    /** The peer is gone and its subscriptions with it: a sink may forget what it kept for it. */
    default void peerGone(PeerId peer) {
    }
}
