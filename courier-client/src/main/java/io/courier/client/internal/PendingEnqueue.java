package io.courier.client.internal;

import io.courier.client.EnqueueReceipt;
import io.courier.core.CourierException;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import java.util.concurrent.CompletableFuture;

/**
 * One enqueue awaiting its CONFIRM, sent at least once: until confirmed it goes again, unchanged, on every new
 * socket (same correlation id and producer message id, so that the broker recognises a resend and confirms the
 * original rather than make a copy), and a send the queue had no room for is tried again soon. Built by the calling
 * thread, handed over through the mailbox, then confined to the I/O thread.
 */
final class PendingEnqueue extends PendingOperation {
    private final String queue;
    private final String messageId;
    private final int ttlMillis;
    private final Headers headers;
    private final byte[] body;
    private final CompletableFuture<EnqueueReceipt> future;

    PendingEnqueue(String queue, String messageId, int ttlMillis, Headers headers, byte[] body, long timeoutMillis,
                   CompletableFuture<EnqueueReceipt> future) {
        super(timeoutMillis);
        this.queue = queue;
        this.messageId = messageId;
        this.ttlMillis = ttlMillis;
        this.headers = headers;
        this.body = body;
        this.future = future;
    }

    @Override
    Kind kind() {
        return Kind.ENQUEUE;
    }

    @Override
    String operation() {
        return "enqueue to '" + queue + "'";
    }

    @Override
    int bodyBytes() {
        return body.length;
    }

    @Override
    NativeMessage toWire(long now) {
        return new Enqueue(correlationId(), queue, messageId, ttlMillis, headers, body);
    }

    @Override
    boolean sendsAgainWhenRefused() {
        return true;
    }

    @Override
    String timeoutMessage() {
        return operation() + " not confirmed within " + formatTimeout();
    }

    void complete(long seq, boolean duplicate) {
        future.complete(new EnqueueReceipt(queue, seq, duplicate, messageId));
    }

    @Override
    void fail(CourierException error) {
        future.completeExceptionally(error);
    }
}
