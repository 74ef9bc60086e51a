package io.courier.client.internal;

import io.courier.core.CourierException;
import io.courier.protocol.codec.NativeMessage.QueueAdmin;
import io.courier.protocol.codec.NativeMessage.QueueAdmin.Operation;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One QUEUE_ADMIN (list, replay, purge) awaiting its reply. Sent at most once, since a replay or purge is not
 * idempotent: one sent on a socket that was lost fails with UNAVAILABLE. Built by the calling thread, then confined to
 * the I/O thread.
 */
final class PendingAdmin<T> {
    private final Operation operation;
    private final String queue;
    private final int count;
    private final long timeoutMillis;
    private final Function<QueueAdminReply, T> result;
    private final CompletableFuture<T> future;
    private long correlationId;
    private long deadline;
    private boolean sent;

    PendingAdmin(Operation operation, String queue, int count, long timeoutMillis,
                 Function<QueueAdminReply, T> result, CompletableFuture<T> future) {
        this.operation = operation;
        this.queue = queue;
        this.count = count;
        this.timeoutMillis = timeoutMillis;
        this.result = result;
        this.future = future;
    }

    String operation() {
        return operation.name().toLowerCase(Locale.ROOT) + " of queue '" + queue + "'";
    }

    long correlationId() {
        return correlationId;
    }

    long deadline() {
        return deadline;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    boolean isSent() {
        return sent;
    }

    void sent(boolean value) {
        sent = value;
    }

    void begin(long id, long now) {
        correlationId = id;
        deadline = now + timeoutMillis;
    }

    QueueAdmin toWire() {
        return new QueueAdmin(correlationId, operation, queue, count);
    }

    void complete(QueueAdminReply reply) {
        future.complete(result.apply(reply));
    }

    void fail(CourierException error) {
        future.completeExceptionally(error);
    }
}
