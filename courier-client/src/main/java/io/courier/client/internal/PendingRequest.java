package io.courier.client.internal;

import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.core.Durations;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.protocol.codec.NativeMessage.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request (or status query) awaiting its answer: what to send, and its attempts. Each attempt lasts the
 * timeout; when one times out (our timer) or expires (the broker answers EXPIRED), the request goes again with the
 * same correlation id while attempts remain, then fails TIMEOUT or EXPIRED. Any other ERROR fails it at once. On a
 * new socket it goes again if its attempt has time left.
 *
 * <p>Because a retry reuses the correlation id, an EXPIRED for the previous attempt can arrive just after our own
 * timer started the next one: the first EXPIRED within half a timeout of a timer-started attempt is taken to be that
 * stale one and ignored.
 *
 * <p>Built by the calling thread, handed over through the mailbox, then confined to the I/O thread.
 */
final class PendingRequest extends PendingOperation {
    private static final Logger LOG = LoggerFactory.getLogger(PendingRequest.class);

    private final String service;
    private final Headers headers;
    private final byte[] body;
    private final int attempts;
    private final CompletableFuture<Message> reply;
    private final CompletableFuture<String> status;

    private int attempt;
    private long attemptStart;
    private boolean retriedByTimer;

    private PendingRequest(String service, Headers headers, byte[] body, RequestOptions options,
                           CompletableFuture<Message> reply, CompletableFuture<String> status) {
        super(options.timeout().toMillis());
        this.service = service;
        this.headers = headers;
        this.body = body;
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

    @Override
    Kind kind() {
        return Kind.REQUEST;
    }

    /** How errors name this operation: {@code request to 'echo'} or {@code status request}. */
    @Override
    String operation() {
        return service == null ? "status request" : "request to '" + service + "'";
    }

    @Override
    int bodyBytes() {
        return body.length;
    }

    @Override
    void begin(long id, long now) {
        super.begin(id, now);
        attempt = 1;
        attemptStart = now;
        retriedByTimer = false;
    }

    /** The command for the current attempt, its timeout the time left until the attempt's deadline. */
    @Override
    NativeMessage toWire(long now) {
        if (service == null) {
            return new Status(correlationId());
        }
        long left = Math.max(1, Math.min(Integer.MAX_VALUE, deadline() - now));
        return new Request(correlationId(), service, (int) left, headers, body);
    }

    /** Sent again on every new socket while the current attempt has time left. */
    @Override
    boolean resendOnConnect(long now) {
        return now < deadline();
    }

    @Override
    void onDeadline(long now, PendingTable table) {
        attemptEnded(now, table, false);
    }

    @Override
    void onError(ErrorReply error, long now, PendingTable table) {
        if (error.code() != ErrorCode.EXPIRED) {
            table.fail(this, failure(error));
            return;
        }
        if (retriedByTimer && now - attemptStart < timeoutMillis() / 2) {
            retriedByTimer = false;   // the broker's word on the attempt our timer already retried
            LOG.trace("stale expiry ignored conn={} id={}", table.role(), correlationId());
            return;
        }
        attemptEnded(now, table, true);
    }

    /** The current attempt timed out (our timer) or expired (the broker said so): retry, or fail. */
    private void attemptEnded(long now, PendingTable table, boolean expiredByBroker) {
        if (attempt < attempts) {
            attempt++;
            attemptStart = now;
            deadline(now + timeoutMillis());
            retriedByTimer = !expiredByBroker;
            table.retry(this, expiredByBroker ? "expired" : "timeout");
            return;
        }
        String after = " after " + Durations.format(Duration.ofMillis(timeoutMillis() * attempt)) + " ("
                + attempt + (attempt == 1 ? " attempt)" : " attempts)");
        if (expiredByBroker) {
            table.fail(this, new CourierException(Reason.EXPIRED, operation() + " expired in the broker" + after));
        } else {
            table.fail(this, new CourierException(Reason.TIMEOUT, operation() + " timed out" + after));
        }
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

    @Override
    void fail(CourierException error) {
        if (reply != null) {
            reply.completeExceptionally(error);
        } else {
            status.completeExceptionally(error);
        }
    }
}
