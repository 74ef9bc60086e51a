package io.courier.client.internal;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a {@link SubscriptionHandle} and a {@link ConsumerHandle} share: a feed of broker messages to an application
 * callback, with its id, the future the broker's first confirmation completes (SUBSCRIBED, CONSUMING), a close that
 * happens once and tells the I/O thread, an end by the broker or the client, and the {@link SerialDelivery} that
 * runs the callbacks one at a time, in order. The subclasses give the names and the callbacks.
 *
 * <p>Thread-safe: the application calls the public methods from any thread; the I/O thread calls the {@code on*}
 * methods, which only complete the future or queue callback calls on the delivery.
 */
abstract class FeedHandle {
    private final long id;
    private final String operation;
    private final SerialDelivery delivery;
    private final OffLoopFuture<Void> started;
    private final Runnable closeOnLoop;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean ended;

    /**
     * {@code operation} names the feed in errors ({@code subscribe to 'prices'}); {@code deliveryName} names its
     * callback queue in logs; {@code closeOnLoop} tells the connection's loop, from any thread, that it is closed.
     */
    FeedHandle(long id, String operation, String deliveryName, Executor callbacks, Runnable closeOnLoop) {
        this.id = id;
        this.operation = operation;
        this.delivery = new SerialDelivery(deliveryName, callbacks);
        this.started = new OffLoopFuture<>(callbacks);
        this.closeOnLoop = closeOnLoop;
    }

    public final long id() {
        return id;
    }

    public final boolean isActive() {
        return !closed.get() && !ended;
    }

    /** Stops the callbacks, fails the start future if still pending, and tells the loop. Once only. */
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        delivery.stop();
        started.completeExceptionally(new CourierException(Reason.CLOSED, operation + " failed: closed"));
        closeOnLoop.run();
    }

    /** True once the application closed it. */
    public final boolean isClosed() {
        return closed.get();
    }

    final boolean isEnded() {
        return ended;
    }

    final CompletableFuture<Void> started() {
        return started;
    }

    /** Waits for the start future; TIMEOUT saying the feed was {@code notDone} in time. */
    final void awaitStarted(Duration timeout, String notDone) {
        Waits.await(started, timeout, operation, notDone);
    }

    final SerialDelivery delivery() {
        return delivery;
    }

    // Called on the I/O thread only.

    /** The broker took the feed (each confirmation; only the first matters). */
    final void onStarted() {
        started.complete(null);
    }

    /** The feed ended other than by {@link #close()}: {@code error} fails the start future if still pending. */
    final void end(CourierException error, Runnable lastCallback) {
        ended = true;
        started.completeExceptionally(error);
        delivery.submit(lastCallback);
    }
}
