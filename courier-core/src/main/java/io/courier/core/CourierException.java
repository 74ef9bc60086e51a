package io.courier.core;

/**
 * The one unchecked exception Courier throws, with a {@link Reason} a caller can switch on.
 *
 * <p>Thread-safe (immutable). Client futures complete exceptionally with it; the CLI maps its reason to an
 * exit code.
 */
public class CourierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /** No reply arrived within the deadline (after every retry). */
        TIMEOUT,
        /** No worker registered the service within the broker's wait. */
        UNKNOWN_SERVICE,
        /** The broker dropped the request because its deadline passed before a worker took it. */
        EXPIRED,
        /** Authentication or access control refused the operation. */
        REFUSED,
        /** The message is over the broker's or the client's size limit. */
        TOO_LARGE,
        /** A bounded queue is full: slow down and retry. */
        BACKPRESSURE,
        /** The worker's handler failed; the message says how. */
        SERVICE_ERROR,
        /** The broker is shutting down or cannot take the work now. */
        UNAVAILABLE,
        /** The client, worker or broker was closed. */
        CLOSED,
        /** A peer broke the protocol, or sent something this version does not understand. */
        PROTOCOL,
        /** A configuration value is invalid. */
        CONFIG
    }

    private final Reason reason;

    public CourierException(Reason reason, String message) {
        this(reason, message, null);
    }

    public CourierException(Reason reason, String message, Throwable cause) {
        super(message + " [reason=" + reason + "]", cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
