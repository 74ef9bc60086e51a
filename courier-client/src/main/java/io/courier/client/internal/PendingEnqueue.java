package io.courier.client.internal;

import io.courier.client.EnqueueReceipt;
import io.courier.core.CourierException;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import java.util.concurrent.CompletableFuture;

/**
 * One enqueue awaiting its CONFIRM: what to send (always with the same correlation id and producer message id, so
 * that a resend after a lost connection is a duplicate the broker recognises), its deadline, and whether it left on
 * the current socket. Built by the calling thread, handed over through the mailbox, then confined to the I/O thread.
 */
final class PendingEnqueue {
    private final String queue;
    private final String messageId;
    private final int ttlMillis;
    private final Headers headers;
    private final byte[] body;
    private final long timeoutMillis;
    private final CompletableFuture<EnqueueReceipt> future;
    private long correlationId;
    private long deadline;
    private boolean sent;
    private int sends;

    PendingEnqueue(String queue, String messageId, int ttlMillis, Headers headers, byte[] body, long timeoutMillis,
                   CompletableFuture<EnqueueReceipt> future) {
        this.queue = queue;
        this.messageId = messageId;
        this.ttlMillis = ttlMillis;
        this.headers = headers;
        this.body = body;
        this.timeoutMillis = timeoutMillis;
        this.future = future;
    }

    String operation() {
        return "enqueue to '" + queue + "'";
    }

    String queue() {
        return queue;
    }

    String messageId() {
        return messageId;
    }

    int bodyBytes() {
        return body.length;
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

    /** How many times it was put on a socket. */
    int sends() {
        return sends;
    }

    void sent(boolean value) {
        sent = value;
        if (value) {
            sends++;
        }
    }

    void begin(long id, long now) {
        correlationId = id;
        deadline = now + timeoutMillis;
    }

    Enqueue toWire() {
        return new Enqueue(correlationId, queue, messageId, ttlMillis, headers, body);
    }

    void complete(long seq, boolean duplicate) {
        future.complete(new EnqueueReceipt(queue, seq, duplicate, messageId));
    }

    void fail(CourierException error) {
        future.completeExceptionally(error);
    }
}
