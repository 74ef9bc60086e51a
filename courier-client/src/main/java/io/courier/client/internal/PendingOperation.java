package io.courier.client.internal;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.core.Durations;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import java.time.Duration;

/**
 * One operation awaiting the broker's answer in the {@link PendingTable}: a request (or status query), a confirmed
 * publish, an enqueue or a queue admin command. Holds what every kind shares (correlation id, deadline, whether it
 * left on the current socket); each kind says, by overriding the hooks below, what it does when its deadline comes,
 * when the broker answers ERROR, and when the socket is lost or a new one opens.
 *
 * <p>Built by the calling thread, handed over through the mailbox, then confined to the I/O thread.
 */
abstract class PendingOperation {
    /** The kinds of pending operation; an answer is taken only by the kind it is for. */
    enum Kind {
        REQUEST(false),
        /** The publishes of a PUBLISH_BATCH take consecutive ids counting down (docs/protocol.md 9.14). */
        PUBLISH(true),
        ENQUEUE(false),
        ADMIN(false);

        private final boolean idsCountDown;

        Kind(boolean idsCountDown) {
            this.idsCountDown = idsCountDown;
        }

        /** True when this kind's correlation ids count down from -1; the others count up from 1. */
        boolean idsCountDown() {
            return idsCountDown;
        }
    }

    private final long timeoutMillis;
    private long correlationId;
    private long deadline;
    private boolean sent;
    private int sends;

    PendingOperation(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    abstract Kind kind();

    /** How errors name this operation: {@code request to 'echo'}, {@code publish to 'prices'}. */
    abstract String operation();

    /** The command to send at {@code now}. */
    abstract NativeMessage toWire(long now);

    /** Fails the caller's future. */
    abstract void fail(CourierException error);

    /** The body's size, checked against the broker's max-message-bytes; 0 for commands without a body. */
    int bodyBytes() {
        return 0;
    }

    final long correlationId() {
        return correlationId;
    }

    /** When the current attempt times out, on the connection's clock. */
    final long deadline() {
        return deadline;
    }

    final long timeoutMillis() {
        return timeoutMillis;
    }

    /** True when it left on the current socket. */
    final boolean isSent() {
        return sent;
    }

    /** How many times it was put on a socket. */
    final int sends() {
        return sends;
    }

    final void sent(boolean value) {
        sent = value;
        if (value) {
            sends++;
        }
    }

    /** Takes its correlation id; its deadline is a timeout from {@code now}. */
    void begin(long id, long now) {
        correlationId = id;
        deadline = now + timeoutMillis;
    }

    /** A new attempt ends at {@code value}. */
    final void deadline(long value) {
        deadline = value;
    }

    // What the kind does; the table calls these.

    /** A new socket is open: true when this goes on it. By default, when it did not leave on the last socket. */
    boolean resendOnConnect(long now) {
        return !sent;
    }

    /**
     * The socket this went out on is gone. Returns the failure of an operation sent at most once, whose outcome
     * is now unknown, or null to keep it for the next socket (the default).
     */
    CourierException lostWithSocket() {
        return null;
    }

    /**
     * True when a send the socket refused (its queue full) is tried again on the next timer passes; otherwise it
     * waits for the next socket, or for its deadline (the default).
     */
    boolean sendsAgainWhenRefused() {
        return false;
    }

    /** Its deadline came: by default it fails TIMEOUT with {@link #timeoutMessage()}. */
    void onDeadline(long now, PendingTable table) {
        table.fail(this, new CourierException(Reason.TIMEOUT, timeoutMessage()));
    }

    /** {@code publish to 't' timed out after 500ms}. */
    String timeoutMessage() {
        return operation() + " timed out after " + formatTimeout();
    }

    /** The broker answered ERROR: by default it fails with the reason of the code. */
    void onError(ErrorReply error, long now, PendingTable table) {
        table.fail(this, failure(error));
    }

    final CourierException failure(ErrorReply error) {
        return new CourierException(error.code().reason(), operation() + " failed: " + error.reason() + " (code "
                + error.code().code() + ")");
    }

    final String formatTimeout() {
        return Durations.format(Duration.ofMillis(timeoutMillis));
    }
}
