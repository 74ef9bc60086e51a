package io.courier.client.internal;

import io.courier.client.StreamEvent;
import io.courier.client.StreamListener;
import io.courier.client.StreamLoss;
import io.courier.client.SubscribeOptions;
import io.courier.client.Subscription;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link Subscription} handle, and the {@link StreamSink} its connection's core releases to. Thread-safe: the
 * application calls the Subscription methods from any thread; the I/O thread calls the sink methods, which only
 * queue listener calls on the subscription's {@link SerialDelivery}.
 */
final class SubscriptionHandle implements Subscription, StreamSink {
    private final long id;
    private final String prefix;
    private final SubscribeOptions options;
    private final StreamListener listener;
    private final SerialDelivery delivery;
    private final OffLoopFuture<Void> subscribed;
    private final Runnable unsubscribe;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean ended;

    /** {@code unsubscribe} tells the connection's loop, from any thread, that this subscription is closed. */
    SubscriptionHandle(long id, String prefix, SubscribeOptions options, StreamListener listener, Executor callbacks,
                       Runnable unsubscribe) {
        this.id = id;
        this.prefix = prefix;
        this.options = options;
        this.listener = listener;
        this.delivery = new SerialDelivery("subscription-" + id, callbacks);
        this.subscribed = new OffLoopFuture<>(callbacks);
        this.unsubscribe = unsubscribe;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    SubscribeOptions options() {
        return options;
    }

    @Override
    public CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    @Override
    public void awaitSubscribed(Duration timeout) {
        Waits.await(subscribed, timeout, operation(), "not confirmed");
    }

    @Override
    public boolean isActive() {
        return !closed.get() && !ended;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        delivery.stop();
        subscribed.completeExceptionally(new CourierException(Reason.CLOSED, operation() + " failed: closed"));
        unsubscribe.run();
    }

    @Override
    public String toString() {
        return "Subscription[id=" + id + ", prefix=" + prefix + ", start=" + options.start() + "]";
    }

    private String operation() {
        return "subscribe to '" + prefix + "'";
    }

    // StreamSink, called on the I/O thread only.

    @Override
    public void onSubscribed() {
        subscribed.complete(null);
    }

    @Override
    public void onEvent(StreamEvent event) {
        delivery.submit(() -> listener.onEvent(event));
    }

    @Override
    public void onLoss(StreamLoss loss) {
        delivery.submit(() -> listener.onLoss(loss));
    }

    @Override
    public void onEnded(String reason, CourierException error) {
        ended = true;
        subscribed.completeExceptionally(error);
        delivery.submit(() -> listener.onClosed(reason));
    }

    @Override
    public boolean hasRoom() {
        return delivery.queued() < options.maxBufferedEvents();
    }

    @Override
    public boolean canResume() {
        return delivery.queued() <= options.maxBufferedEvents() / 2;
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }
}
