package io.courier.client.internal;

import io.courier.client.ConsumeOptions;
import io.courier.client.QueueConsumer;
import io.courier.client.QueueHandler;
import io.courier.core.CourierException;
import io.courier.protocol.codec.NativeMessage.Deliver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link QueueConsumer} handle, and what the queue core tells it: a {@link FeedHandle} whose callbacks are the
 * {@link QueueHandler}'s. Thread-safe: the application calls the QueueConsumer methods from any thread; the I/O
 * thread calls the {@code on*} methods, which only complete the consuming future or queue handler calls.
 */
final class ConsumerHandle extends FeedHandle implements QueueConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerHandle.class);

    private final String queue;
    private final ConsumeOptions options;
    private final QueueHandler handler;
    private final Consumer<Settle> settler;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int session;

    /**
     * {@code settler} queues a settle for the I/O thread, {@code cancel} tells it this consumer is closed; both are
     * called from any thread.
     */
    ConsumerHandle(long id, String queue, ConsumeOptions options, QueueHandler handler, Executor callbacks,
                   Consumer<Settle> settler, Runnable cancel) {
        super(id, "consume from '" + queue + "'", "consumer-" + id, callbacks, cancel);
        this.queue = queue;
        this.options = options;
        this.handler = handler;
        this.settler = settler;
    }

    @Override
    public String queue() {
        return queue;
    }

    ConsumeOptions options() {
        return options;
    }

    @Override
    public CompletableFuture<Void> consuming() {
        return started();
    }

    @Override
    public void awaitConsuming(Duration timeout) {
        awaitStarted(timeout, "not taken by the broker");
    }

    @Override
    public String toString() {
        return "QueueConsumer[id=" + id() + ", queue=" + queue + ", prefetch=" + options.prefetch() + "]";
    }

    // Called on the I/O thread only.

    /** A new session began: deliveries of earlier ones still waiting for the handler are skipped. */
    void onSession(int value) {
        session = value;
    }

    void onConsuming() {
        onStarted();
    }

    void onDeliver(Deliver deliver, int arrivedOn) {
        DeliveryHandle handle = new DeliveryHandle(deliver, arrivedOn, this::settle);
        delivery().submit(() -> handle(handle));
    }

    /** The consumer ended other than by {@link #close()}; {@code error} fails the consuming future if pending. */
    void onEnded(String reason, CourierException error) {
        end(error, () -> handler.onCancelled(reason));
    }

    /** Any thread: a settle after {@link #close()} is dropped (the broker puts the delivery back on CANCEL). */
    private void settle(Settle settle) {
        if (!isClosed()) {
            settler.accept(settle);
        }
    }

    // Called on the callback executor, one at a time.

    private void handle(DeliveryHandle handle) {
        if (isClosed() || isEnded() || handle.session() != session) {
            return;   // closed, or from a session that ended: the broker hands it out again
        }
        try {
            handler.onDelivery(handle);
            if (!handle.isSettled()) {
                handle.ack();
            }
        } catch (Exception | AssertionError e) {
            int count = failures.incrementAndGet();
            if (Integer.bitCount(count) == 1) {   // 1st, 2nd, 4th...: visible, never a flood
                LOG.warn("queue handler failed, delivery nacked consumer={} queue={} seq={} failures={}", id(),
                        queue, handle.seq(), count, e);
            }
            if (!handle.isSettled()) {
                handle.nack();
            }
        }
    }
}
