package io.courier.client.internal;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.QueueAdmin;
import io.courier.protocol.codec.NativeMessage.QueueAdmin.Operation;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One QUEUE_ADMIN (list, replay, purge) awaiting its reply. Sent at most once, since a replay or purge is not
 * idempotent: one sent on a socket that was lost fails with UNAVAILABLE; one the send queue had no room for is
 * tried again soon. Built by the calling thread, then confined to the I/O thread.
 */
final class PendingAdmin<T> extends PendingOperation {
    private final Operation operation;
    private final String queue;
    private final int count;
    private final Function<QueueAdminReply, T> result;
    private final CompletableFuture<T> future;

    PendingAdmin(Operation operation, String queue, int count, long timeoutMillis,
                 Function<QueueAdminReply, T> result, CompletableFuture<T> future) {
        super(timeoutMillis);
        this.operation = operation;
        this.queue = queue;
        this.count = count;
        this.result = result;
        this.future = future;
    }

    @Override
    Kind kind() {
        return Kind.ADMIN;
    }

    @Override
    String operation() {
        return operation.name().toLowerCase(Locale.ROOT) + " of queue '" + queue + "'";
    }

    @Override
    NativeMessage toWire(long now) {
        return new QueueAdmin(correlationId(), operation, queue, count);
    }

    @Override
    CourierException lostWithSocket() {
        return new CourierException(Reason.UNAVAILABLE, operation()
                + " failed: connection lost before the broker answered; it may or may not have been done");
    }

    @Override
    boolean sendsAgainWhenRefused() {
        return true;
    }

    @Override
    String timeoutMessage() {
        return operation() + " not answered within " + formatTimeout();
    }

    void complete(QueueAdminReply reply) {
        future.complete(result.apply(reply));
    }

    @Override
    void fail(CourierException error) {
        future.completeExceptionally(error);
    }
}
