package io.courier.client.internal;

import io.courier.client.StreamEvent;
import io.courier.client.StreamListener;
import io.courier.client.StreamLoss;
import io.courier.client.SubscribeOptions;
import io.courier.client.Subscription;
import io.courier.core.CourierException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The {@link Subscription} handle, and the {@link StreamSink} its connection's core releases to: a
 * {@link FeedHandle} whose callbacks are the {@link StreamListener}'s. Thread-safe: the application calls the
 * Subscription methods from any thread; the I/O thread calls the sink methods, which only queue listener calls.
 */
final class SubscriptionHandle extends FeedHandle implements Subscription, StreamSink {
    private final String prefix;
    private final SubscribeOptions options;
    private final StreamListener listener;

    /** {@code unsubscribe} tells the connection's loop, from any thread, that this subscription is closed. */
    SubscriptionHandle(long id, String prefix, SubscribeOptions options, StreamListener listener, Executor callbacks,
                       Runnable unsubscribe) {
        super(id, "subscribe to '" + prefix + "'", "subscription-" + id, callbacks, unsubscribe);
        this.prefix = prefix;
        this.options = options;
        this.listener = listener;
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
        return started();
    }

    @Override
    public void awaitSubscribed(Duration timeout) {
        awaitStarted(timeout, "not confirmed");
    }

    @Override
    public String toString() {
        return "Subscription[id=" + id() + ", prefix=" + prefix + ", start=" + options.start() + "]";
    }

    // StreamSink, called on the I/O thread only.

    @Override
    public void onSubscribed() {
        onStarted();
    }

    @Override
    public void onEvent(StreamEvent event) {
        delivery().submit(() -> listener.onEvent(event));
    }

    @Override
    public void onLoss(StreamLoss loss) {
        delivery().submit(() -> listener.onLoss(loss));
    }

    @Override
    public void onEnded(String reason, CourierException error) {
        end(error, () -> listener.onClosed(reason));
    }

    @Override
    public boolean hasRoom() {
        return delivery().queued() < options.maxBufferedEvents();
    }

    @Override
    public boolean canResume() {
        return delivery().queued() <= options.maxBufferedEvents() / 2;
    }
}
