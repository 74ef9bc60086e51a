package io.courier.client.internal;

import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.core.CourierException;
import io.courier.core.Durations;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.protocol.codec.NativeMessage.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One request (or status query) awaiting its answer: what to send, its attempt count and the current attempt's
 * deadline. Built by the calling thread, handed over through the mailbox, then confined to the I/O thread.
 */
final class PendingRequest {
    private final String service;
    private final Headers headers;
    private final byte[] body;
    private final long timeoutMillis;
    private final int attempts;
    private final CompletableFuture<Message> reply;
    private final CompletableFuture<String> status;

    private long correlationId;
    private int attempt;
    private long attemptStart;
    private long attemptDeadline;
    private boolean retriedByTimer;

    private PendingRequest(String service, Headers headers, byte[] body, RequestOptions options,
                           CompletableFuture<Message> reply, CompletableFuture<String> status) {
        this.service = service;
        this.headers = headers;
        this.body = body;
        this.timeoutMillis = options.timeout().toMillis();
        this.attempts = options.retries() + 1;
        this.reply = reply;
        this.status = status;
    }

    static PendingRequest request(String service, Headers headers, byte[] body, RequestOptions options,
                                  CompletableFuture<Message> reply) {
        return new PendingRequest(service, headers, body, options, reply, null);
    }

    static PendingRequest status(RequestOptions options, CompletableFuture<String> status) {
        return new PendingRequest(null, Headers.EMPTY, new byte[0], options, null, status);
    }

    /** How errors name this operation: {@code request to 'echo'} or {@code status request}. */
    String operation() {
        return service == null ? "status request" : "request to '" + service + "'";
    }

    int bodyBytes() {
        return body.length;
    }

    long correlationId() {
        return correlationId;
    }

    int attempt() {
        return attempt;
    }

    long attemptStart() {
        return attemptStart;
    }

    long attemptDeadline() {
        return attemptDeadline;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    boolean hasAttemptsLeft() {
        return attempt < attempts;
    }

    /** True when the current attempt began because our own timer fired (not because the broker said EXPIRED). */
    boolean retriedByTimer() {
        return retriedByTimer;
    }

    void clearRetriedByTimer() {
        retriedByTimer = false;
    }

    void begin(long id, long now) {
        correlationId = id;
        attempt = 1;
        startAttempt(now, false);
    }

    void nextAttempt(long now, boolean byTimer) {
        attempt++;
        startAttempt(now, byTimer);
    }

    private void startAttempt(long now, boolean byTimer) {
        attemptStart = now;
        attemptDeadline = now + timeoutMillis;
        retriedByTimer = byTimer;
    }

    /** The command for the current attempt, its timeout the time left until the attempt's deadline. */
    NativeMessage toWire(long now) {
        if (service == null) {
            return new Status(correlationId);
        }
        long left = Math.max(1, Math.min(Integer.MAX_VALUE, attemptDeadline - now));
        return new Request(correlationId, service, (int) left, headers, body);
    }

    /** The whole time this request may take, for messages: {@code 1500ms} for 3 attempts of 500ms. */
    String totalTimeout() {
        return Durations.format(Duration.ofMillis(timeoutMillis * attempt));
    }

    String attemptsText() {
        return attempt + (attempt == 1 ? " attempt" : " attempts");
    }

    /** Completes a request with its reply; false when this is a status query (the answer has the wrong type). */
    boolean completeReply(Message message) {
        if (reply == null) {
            return false;
        }
        reply.complete(message);
        return true;
    }

    /** Completes a status query; false when this is a request. */
    boolean completeStatus(String json) {
        if (status == null) {
            return false;
        }
        status.complete(json);
        return true;
    }

    void fail(CourierException error) {
        if (reply != null) {
            reply.completeExceptionally(error);
        } else {
            status.completeExceptionally(error);
        }
    }
}
