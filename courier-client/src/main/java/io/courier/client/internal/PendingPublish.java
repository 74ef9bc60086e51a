package io.courier.client.internal;

import io.courier.core.CourierException;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.Publish;
import java.util.concurrent.CompletableFuture;

/**
 * One confirmed publish awaiting its PUBACK: what to send, its correlation id and deadline, and whether it left on
 * the current socket. Built by the calling thread, handed over through the mailbox, then confined to the I/O
 * thread.
 */
final class PendingPublish {
    private final String topic;
    private final Headers headers;
    private final byte[] body;
    private final long timeoutMillis;
    private final CompletableFuture<Long> future;
    private long correlationId;
    private long deadline;
    private boolean sent;
    private int batchSize = 1;

    PendingPublish(String topic, Headers headers, byte[] body, long timeoutMillis, CompletableFuture<Long> future) {
        this.topic = topic;
        this.headers = headers;
        this.body = body;
        this.timeoutMillis = timeoutMillis;
        this.future = future;
    }

    String operation() {
        return "publish to '" + topic + "'";
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

    void sent(boolean value) {
        sent = value;
    }

    /** How many publishes went in the batch this one heads (its correlation id is the batch's); 1 when alone. */
    int batchSize() {
        return batchSize;
    }

    void batchSize(int value) {
        batchSize = value;
    }

    void begin(long id, long now) {
        correlationId = id;
        deadline = now + timeoutMillis;
    }

    Publish toWire() {
        return new Publish(correlationId, topic, headers, body);
    }

    void complete(long seq) {
        future.complete(seq);
    }

    void fail(CourierException error) {
        future.completeExceptionally(error);
    }
}
