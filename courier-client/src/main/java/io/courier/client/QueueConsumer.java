package io.courier.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A consumer of one durable queue, made by {@link Client#consume(String, ConsumeOptions, QueueHandler)}. It survives
 * reconnects, failover and broker restarts: on every new session the client sends CONSUME again. Deliveries of the
 * old session were handed back by the broker when that session ended and come again (see {@link QueueDelivery}).
 *
 * <p>When the broker cancels the consumer because it is shutting down, the client keeps it and consumes again on
 * the next session; any other cancel by the broker ends it (the handler's {@link QueueHandler#onCancelled} is
 * called).
 *
 * <p><b>Threading.</b> Thread-safe. Only {@link #awaitConsuming(Duration)} blocks, and only up to its timeout.
 *
 * <p><b>Errors.</b> {@link #consuming()} completes exceptionally with {@link io.courier.core.CourierException}:
 * REFUSED when the broker cancelled the consumer before taking it (the message says why), CLOSED when it or the
 * client was closed first.
 */
public interface QueueConsumer extends AutoCloseable {

    /** The client-chosen consumer id, unique within its client. */
    long id();

    /** The queue consumed from. */
    String queue();

    /** Completes once the broker has attached the consumer (the first CONSUMING). */
    CompletableFuture<Void> consuming();

    /**
     * Waits up to {@code timeout} for {@link #consuming()}. Throws {@link io.courier.core.CourierException}:
     * TIMEOUT when it did not come in time (or the wait was interrupted; the interrupt flag is kept), or the reason
     * {@link #consuming()} failed with.
     */
    void awaitConsuming(Duration timeout);

    /** True until {@link #close()}, the client's close, or the broker ending the consumer. */
    boolean isActive();

    /**
     * Stops consuming: no handler call starts after this returns (one running may finish), settles made before it
     * are sent first, then CANCEL, after which the broker puts the consumer's unsettled deliveries back in the queue.
     * A delivery settled after the close (by a handler still running, say) is dropped by the client and comes again.
     * Never blocks; idempotent.
     */
    @Override
    void close();
}
