package io.courier.client.internal;

import io.courier.client.ConsumeOptions;
import io.courier.client.QueueConsumer;
import io.courier.client.QueueHandler;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.codec.NativeMessage.Deliver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link QueueConsumer} handle, and what the queue core tells it. Thread-safe: the application calls the
 * QueueConsumer methods from any thread; the I/O thread calls the {@code on*} methods, which only complete the
 * consuming future or queue handler calls on the consumer's {@link SerialDelivery}.
 */
final class ConsumerHandle implements QueueConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerHandle.class);

    private final long id;
    private final String queue;
    private final ConsumeOptions options;
    private final QueueHandler handler;
    private final SerialDelivery delivery;
    private final OffLoopFuture<Void> consuming;
    private final Consumer<Settle> settler;
    private final Runnable cancel;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean ended;
    private volatile int session;

    /**
     * {@code settler} queues a settle for the I/O thread, {@code cancel} tells it this consumer is closed; both are
     * called from any thread.
     */
    ConsumerHandle(long id, String queue, ConsumeOptions options, QueueHandler handler, Executor callbacks,
                   Consumer<Settle> settler, Runnable cancel) {
        this.id = id;
        this.queue = queue;
        this.options = options;
        this.handler = handler;
        this.delivery = new SerialDelivery("consumer-" + id, callbacks);
        this.consuming = new OffLoopFuture<>(callbacks);
        this.settler = settler;
        this.cancel = cancel;
    }

    @Override
    public long id() {
        return id;
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
        return consuming;
    }

    @Override
    public void awaitConsuming(Duration timeout) {
        Waits.await(consuming, timeout, operation(), "not taken by the broker");
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
        consuming.completeExceptionally(new CourierException(Reason.CLOSED, operation() + " failed: closed"));
        cancel.run();
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "QueueConsumer[id=" + id + ", queue=" + queue + ", prefetch=" + options.prefetch() + "]";
    }

    private String operation() {
        return "consume from '" + queue + "'";
    }

    // Called on the I/O thread only.

    /** A new session began: deliveries of earlier ones still waiting for the handler are skipped. */
    void onSession(int value) {
        session = value;
    }

    void onConsuming() {
        consuming.complete(null);
    }

    void onDeliver(Deliver deliver, int arrivedOn) {
        DeliveryHandle handle = new DeliveryHandle(deliver, arrivedOn, this::settle);
        delivery.submit(() -> handle(handle));
    }

    /** The consumer ended other than by {@link #close()}; {@code error} fails the consuming future if pending. */
    void onEnded(String reason, CourierException error) {
        ended = true;
        consuming.completeExceptionally(error);
        delivery.submit(() -> handler.onCancelled(reason));
    }

    /** Any thread: a settle after {@link #close()} is dropped (the broker puts the delivery back on CANCEL). */
    private void settle(Settle settle) {
        if (!closed.get()) {
            settler.accept(settle);
        }
    }

    // Called on the callback executor, one at a time.

    private void handle(DeliveryHandle handle) {
        if (closed.get() || ended || handle.session() != session) {
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
                LOG.warn("queue handler failed, delivery nacked consumer={} queue={} seq={} failures={}", id, queue,
                        handle.seq(), count, e);
            }
            if (!handle.isSettled()) {
                handle.nack();
            }
        }
    }
}
