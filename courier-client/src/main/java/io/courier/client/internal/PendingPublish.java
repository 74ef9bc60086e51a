package io.courier.client.internal;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Publish;
import java.util.concurrent.CompletableFuture;

/**
 * One confirmed publish awaiting its PUBACK. Sent at most once: one that did not leave waits for the next socket;
 * one sent on a socket that was lost fails UNAVAILABLE, since the broker may have taken it. The head of a
 * PUBLISH_BATCH knows the batch's size, so that an ERROR for the batch fails all of it. Built by the calling
 * thread, handed over through the mailbox, then confined to the I/O thread.
 */
final class PendingPublish extends PendingOperation {
    private final String topic;
    private final Headers headers;
    private final byte[] body;
    private final CompletableFuture<Long> future;
    private int batchSize = 1;

    PendingPublish(String topic, Headers headers, byte[] body, long timeoutMillis, CompletableFuture<Long> future) {
        super(timeoutMillis);
        this.topic = topic;
        this.headers = headers;
        this.body = body;
        this.future = future;
    }

    @Override
    Kind kind() {
        return Kind.PUBLISH;
    }

    @Override
    String operation() {
        return "publish to '" + topic + "'";
    }

    @Override
    int bodyBytes() {
        return body.length;
    }

    /** How many publishes went in the batch this one heads (its correlation id is the batch's); 1 when alone. */
    int batchSize() {
        return batchSize;
    }

    void batchSize(int value) {
        batchSize = value;
    }

    /** The PUBLISH, the same at any time. */
    Publish toWire() {
        return new Publish(correlationId(), topic, headers, body);
    }

    @Override
    NativeMessage toWire(long now) {
        return toWire();
    }

    @Override
    CourierException lostWithSocket() {
        return new CourierException(Reason.UNAVAILABLE, operation()
                + " failed: connection lost before the broker confirmed; it may or may not be published");
    }

    /** An ERROR with the id of a PUBLISH_BATCH fails every publish of the batch (their ids follow, counting down). */
    @Override
    void onError(ErrorReply error, long now, PendingTable table) {
        for (int i = 0; i < batchSize; i++) {
            PendingOperation publish = table.remove(correlationId() - i, Kind.PUBLISH);
            if (publish != null) {
                publish.fail(publish.failure(error));
            }
        }
    }

    void complete(long seq) {
        future.complete(seq);
    }

    @Override
    void fail(CourierException error) {
        future.completeExceptionally(error);
    }
}
