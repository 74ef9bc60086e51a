package io.courier.client.internal;

import io.courier.client.ConsumeOptions;
import io.courier.client.EnqueueOptions;
import io.courier.client.EnqueueReceipt;
import io.courier.client.Message;
import io.courier.client.QueueConsumer;
import io.courier.client.QueueHandler;
import io.courier.client.QueuedMessage;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.QueueAdmin.Operation;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply.ListedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The queue methods of the {@link io.courier.client.Client} handle: checks arguments on the calling thread, gives
 * each enqueue its producer message id, and hands the work to the {@link QueueClientCore} through the connection's
 * mailbox. Thread-safe; never blocks.
 */
final class QueueOperations {
    /** The most messages one LIST shows (docs/protocol.md 10.10). */
    static final int MAX_LIST = 1_000;
    private static final int MAX_QUEUE_BYTES = 255;

    /** Queues a command that completes a future, counted in flight (the connection's submit). */
    @FunctionalInterface
    interface Submitter {
        /** {@code waitMillis}: how long a full in-flight window may be waited out; 0 fails at once. */
        void submit(String operation, Runnable command, CompletableFuture<?> future, long waitMillis);
    }

    /** Queues a command that returns nothing; throws CourierException when refused (the connection's queue). */
    @FunctionalInterface
    interface Queuer {
        void queue(String operation, Runnable command);
    }

    private final int maxMessageBytes;
    private final Duration defaultTimeout;
    private final Executor callbacks;
    private final QueueClientCore core;
    private final Submitter submitter;
    private final Queuer queuer;
    private final Runnable wake;
    private final AtomicLong nextConsumerId = new AtomicLong(1);
    private final MessageIds messageIds = new MessageIds();

    /** {@code wake} rings the loop's doorbell so that it sends settles and cancels soon. */
    QueueOperations(int maxMessageBytes, Duration defaultTimeout, Executor callbacks, QueueClientCore core,
                    Submitter submitter, Queuer queuer, Runnable wake) {
        this.maxMessageBytes = maxMessageBytes;
        this.defaultTimeout = defaultTimeout;
        this.callbacks = callbacks;
        this.core = core;
        this.submitter = submitter;
        this.queuer = queuer;
        this.wake = wake;
    }

    CompletableFuture<EnqueueReceipt> enqueue(String queue, Message message, EnqueueOptions options) {
        checkQueue(queue);
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(options, "options");
        Headers headers = Headers.of(message.headers());
        String operation = "enqueue to '" + queue + "'";
        if (message.body().length > maxMessageBytes) {
            return OffLoopFuture.failed(callbacks, new CourierException(Reason.TOO_LARGE, operation
                    + " failed: body of " + message.body().length + " bytes is over maxMessageBytes "
                    + maxMessageBytes));
        }
        String id = options.messageId().isEmpty() ? messageIds.next() : options.messageId();
        Duration timeout = options.timeout() != null ? options.timeout() : defaultTimeout;
        OffLoopFuture<EnqueueReceipt> future = new OffLoopFuture<>(callbacks);
        PendingEnqueue enqueue = new PendingEnqueue(queue, id, (int) options.ttl().toMillis(), headers,
                message.body(), timeout.toMillis(), future);
        submitter.submit(operation, () -> core.onEnqueue(enqueue), future, timeout.toMillis());
        return future;
    }

    QueueConsumer consume(String queue, ConsumeOptions options, QueueHandler handler) {
        checkQueue(queue);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        long id = nextConsumerId.getAndIncrement();
        ConsumerHandle handle = new ConsumerHandle(id, queue, options, handler, callbacks, settle -> {
            core.settleLater(settle);
            wake.run();
        }, () -> {
            core.cancelLater(id);
            wake.run();
        });
        queuer.queue("consume from '" + queue + "'", () -> core.onConsume(handle));
        return handle;
    }

    CompletableFuture<List<QueuedMessage>> list(String queue, int limit) {
        checkQueue(queue);
        if (limit < 0 || limit > MAX_LIST) {
            throw new IllegalArgumentException("limit must be 0 (the broker's default, 100) to " + MAX_LIST
                    + " [limit=" + limit + "]");
        }
        return admin(Operation.LIST, queue, limit, QueueOperations::listed);
    }

    CompletableFuture<Integer> replay(String deadLetterQueue, int count) {
        checkQueue(deadLetterQueue);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0 (0: all) [count=" + count + "]");
        }
        return admin(Operation.REPLAY, deadLetterQueue, count, QueueAdminReply::affected);
    }

    CompletableFuture<Integer> purge(String queue) {
        checkQueue(queue);
        return admin(Operation.PURGE, queue, 0, QueueAdminReply::affected);
    }

    private <T> CompletableFuture<T> admin(Operation operation, String queue, int count,
                                           Function<QueueAdminReply, T> result) {
        OffLoopFuture<T> future = new OffLoopFuture<>(callbacks);
        PendingAdmin<T> admin = new PendingAdmin<>(operation, queue, count, defaultTimeout.toMillis(), result,
                future);
        submitter.submit(admin.operation(), () -> core.onAdmin(admin), future, 0);
        return future;
    }

    private static List<QueuedMessage> listed(QueueAdminReply reply) {
        return reply.messages().stream().map(QueueOperations::listed).toList();
    }

    private static QueuedMessage listed(ListedMessage m) {
        return new QueuedMessage(m.seq(), m.deliveries(), Instant.ofEpochMilli(m.enqueuedAtMillis()),
                m.headers().asMap(), m.body());
    }

    /** A queue name is 1 to 255 bytes of UTF-8. */
    static void checkQueue(String queue) {
        Objects.requireNonNull(queue, "queue");
        int bytes = queue.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_QUEUE_BYTES) {
            throw new IllegalArgumentException("queue must be 1 to 255 bytes of UTF-8 [queue=" + queue + "]");
        }
    }
}
