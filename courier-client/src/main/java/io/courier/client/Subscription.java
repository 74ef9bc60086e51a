package io.courier.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A live subscription to the streams whose topic starts with {@link #prefix()}, made by
 * {@link Client#subscribe(String, SubscribeOptions, StreamListener)}. It survives reconnects and broker failover:
 * the client subscribes again by itself, resuming each stream after the last message it delivered.
 *
 * <p><b>Threading.</b> Thread-safe: any method may be called from any thread, the listener's included.
 * Only {@link #awaitSubscribed(Duration)} blocks, and only up to its timeout.
 *
 * <p><b>Errors.</b> {@link #subscribed()} completes exceptionally with
 * {@link io.courier.core.CourierException}: REFUSED when the broker ended the subscription before taking it,
 * CLOSED when it or the client was closed first.
 */
public interface Subscription extends AutoCloseable {

    /** The client-chosen id of this subscription, unique within its client. */
    long id();

    /** The topic prefix; empty matches every stream. */
    String prefix();

    /**
     * Completes once the broker has taken the subscription (the first SUBSCRIBED); from then on no live message is
     * missed. Dependent stages run on the callback executor.
     */
    CompletableFuture<Void> subscribed();

    /**
     * Waits up to {@code timeout} for {@link #subscribed()}. Throws {@link io.courier.core.CourierException}:
     * TIMEOUT when it did not come in time (or the wait was interrupted; the interrupt flag is kept), or the reason
     * {@link #subscribed()} failed with.
     */
    void awaitSubscribed(Duration timeout);

    /** True until {@link #close()}, the client's close, or the broker ending the subscription. */
    boolean isActive();

    /**
     * Unsubscribes: no listener call starts after this returns (one already running may finish), and the broker
     * is told (UNSUBSCRIBE) soon after. Never blocks; idempotent.
     */
    @Override
    void close();
}
